import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ConnectionsConfig } from '../config/connections.config';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Whether `authorization` is `Bearer <expected>`, compared in constant time (digests hide the length too). */
export function internalTokenMatches(authorization: string | undefined, expected: string): boolean {
  const match = /^Bearer (\S+)$/.exec(authorization ?? '');
  const given = match ? match[1] : '';
  return timingSafeEqual(digest(given), digest(expected)) && given.length > 0;
}

/** The internal endpoints answer only callers holding INTERNAL_API_TOKEN (the other Ledgerline services). */
@Injectable()
export class InternalTokenGuard implements CanActivate {
  private readonly expected: string;

  constructor(@Inject(ConnectionsConfig) config: ConnectionsConfig) {
    this.expected = config.INTERNAL_API_TOKEN;
  }

  canActivate(context: ExecutionContext): boolean {
    const authorization = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers['authorization'];
    if (!internalTokenMatches(authorization, this.expected)) {
      throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: 'A valid internal API token is required' });
    }
    return true;
  }
}
