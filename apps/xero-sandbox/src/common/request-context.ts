import type { Request } from 'express';
import { Principal } from '../identity/oauth.service';

/** What the API gateway learned about a request, for the handlers behind it. */
export interface ApiRequest extends Request {
  principal?: Principal;
  tenantId?: string;
  rawBody?: Buffer;
  sandboxNotes?: { rateLimitProblem?: string; fault?: string; idempotentReplay?: boolean };
}

export function baseUrlOf(req: Request, publicUrl: string): string {
  return publicUrl || `${req.protocol}://${req.get('host')}`;
}
