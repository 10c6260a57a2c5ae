import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { SandboxException } from '../common/sandbox.exception';
import { ApiRequest } from '../common/request-context';
import { IdempotencyService, StoredResponse } from './idempotency.service';

/**
 * Honours `Idempotency-Key` on PUT/POST/PATCH: replays the first response for a repeat, rejects a repeat
 * with a different request (400), and holds a repeat that arrives while the first is still running.
 */
@Injectable()
export class IdempotencyMiddleware implements NestMiddleware {
  constructor(private readonly idempotency: IdempotencyService) {}

  async use(req: ApiRequest, res: Response, next: NextFunction): Promise<void> {
    const key = req.headers['idempotency-key'];
    if (!['PUT', 'POST', 'PATCH'].includes(req.method) || typeof key !== 'string' || key.trim() === '' || !req.principal || !req.tenantId) {
      next();
      return;
    }
    try {
      if (key.length > 128) throw SandboxException.badRequest('Idempotency-Key must be 128 characters or fewer');
      const scope = `${req.principal.clientId}/${req.tenantId}`;
      const fingerprint = IdempotencyService.fingerprint(req.method, req.originalUrl, req.rawBody);
      for (;;) {
        const claim = this.idempotency.claim(scope, key, fingerprint);
        if (claim.kind === 'conflict') {
          throw new SandboxException('IDEMPOTENCY_CONFLICT', `The Idempotency-Key '${key}' was already used for a different request.`);
        }
        if (claim.kind === 'replay') {
          this.replay(req, res, claim.response);
          return;
        }
        if (claim.kind === 'wait') {
          await claim.settled;
          continue;
        }
        this.capture(res, claim.complete);
        next();
        return;
      }
    } catch (error) {
      next(error);
    }
  }

  private replay(req: ApiRequest, res: Response, response: StoredResponse): void {
    if (req.sandboxNotes) req.sandboxNotes.idempotentReplay = true;
    res.status(response.status).type(response.contentType).send(response.body);
  }

  /**
   * Keeps the response as soon as the handler produces it, whether or not the caller is still there: Xero
   * finishes a request whose caller hung up, and a retry with the same key gets that request's answer.
   */
  private capture(res: Response, complete: (response: StoredResponse) => void): void {
    const send = res.send.bind(res);
    let kept = false;
    res.send = (body?: unknown) => {
      if (!kept) {
        kept = true;
        complete({
          status: res.statusCode,
          body: Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : JSON.stringify(body),
          contentType: String(res.getHeader('content-type') ?? 'application/json; charset=utf-8'),
        });
      }
      return send(body);
    };
  }
}
