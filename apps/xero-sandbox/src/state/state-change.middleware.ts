import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { SandboxStateService } from './sandbox-state.service';

/** Tells the state service a request has been handled (and may have changed durable state). */
@Injectable()
export class StateChangeMiddleware implements NestMiddleware {
  constructor(private readonly state: SandboxStateService) {}

  use(_req: Request, res: Response, next: NextFunction): void {
    res.once('close', () => this.state.changed());
    next();
  }
}
