import { AuthUser, canAccessCompany } from '@ledgerline/auth';
import { createHash, randomBytes } from 'node:crypto';
import { OAuthErrorCode } from './oauth.exception';

/** 32 random bytes, base64url: what goes to Xero as `state`. */
export const newStateValue = (): string => randomBytes(32).toString('base64url');

/** States are stored only as this hash, so a database reader cannot complete someone's connect attempt. */
export const hashState = (state: string): string => createHash('sha256').update(state, 'utf8').digest('hex');

/** What a well-formed state looks like; anything else is refused before touching the database. */
export const STATE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface IssuedState {
  companyId: string;
  userId: string;
  expiresAt: Date;
  consumedAt: Date | null;
}

/**
 * Whether a returning state may complete a connect attempt, and if not, why. A state is single use,
 * expires, and belongs to the user who started the attempt, for a company they may act on.
 */
export function judgeState(issued: IssuedState | undefined, caller: AuthUser, now: Date): OAuthErrorCode | undefined {
  if (!issued) return OAuthErrorCode.StateInvalid;
  if (issued.consumedAt !== null) return OAuthErrorCode.StateReplayed;
  if (issued.expiresAt.getTime() <= now.getTime()) return OAuthErrorCode.StateExpired;
  if (issued.userId !== caller.userId || !canAccessCompany(caller, issued.companyId)) return OAuthErrorCode.StateMismatch;
  return undefined;
}
