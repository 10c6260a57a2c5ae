import { CodedException } from '@ledgerline/platform';

export const OAuthErrorCode = {
  /** No such state was ever issued (forged, truncated, or from another deployment). */
  StateInvalid: 'OAUTH_STATE_INVALID',
  /** The state was already used once. */
  StateReplayed: 'OAUTH_STATE_REPLAYED',
  StateExpired: 'OAUTH_STATE_EXPIRED',
  /** The state was issued to another user, or for a company the caller may not act on. */
  StateMismatch: 'OAUTH_STATE_MISMATCH',
  CodeMissing: 'OAUTH_CODE_MISSING',
  /** The user declined at Xero. */
  AuthorizationDenied: 'OAUTH_AUTHORIZATION_DENIED',
  /** Xero sent the user back with another error. */
  AuthorizationFailed: 'OAUTH_AUTHORIZATION_FAILED',
  /** Xero refused the code (used, expired, or PKCE verifier mismatch). */
  CodeExchangeFailed: 'OAUTH_CODE_EXCHANGE_FAILED',
} as const;

export type OAuthErrorCode = (typeof OAuthErrorCode)[keyof typeof OAuthErrorCode];

export class OAuthException extends CodedException<OAuthErrorCode> {}
