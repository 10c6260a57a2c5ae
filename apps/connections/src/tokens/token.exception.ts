import { CodedException } from '@ledgerline/platform';

/** The codes of the internal access-token contract (libs/xero-client reads them). */
export const TokenErrorCode = {
  /** No connection, or one still waiting for its organisation to be chosen, or disconnected. */
  NotFound: 'CONNECTION_NOT_FOUND',
  /** Xero no longer accepts the refresh token: the company must connect again. */
  Expired: 'CONNECTION_EXPIRED',
  /** The organisation was disconnected on Xero's side: the company must connect again. */
  Revoked: 'CONNECTION_REVOKED',
} as const;

export type TokenErrorCode = (typeof TokenErrorCode)[keyof typeof TokenErrorCode];

export class TokenException extends CodedException<TokenErrorCode> {}
