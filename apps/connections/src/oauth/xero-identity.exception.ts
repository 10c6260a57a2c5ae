import { CodedException } from '@ledgerline/platform';

export const XeroIdentityErrorCode = {
  /** No answer, a timeout or a 5xx: the outcome at Xero is unknown. */
  Unavailable: 'XERO_UNAVAILABLE',
  /** Xero refused the grant for good (refresh token expired, revoked or already rotated past its grace). */
  InvalidGrant: 'XERO_INVALID_GRANT',
  /** Xero refused the request itself (e.g. client credentials), which retrying will not fix. */
  Rejected: 'XERO_REJECTED',
} as const;

export type XeroIdentityErrorCode = (typeof XeroIdentityErrorCode)[keyof typeof XeroIdentityErrorCode];

export class XeroIdentityException extends CodedException<XeroIdentityErrorCode> {
  constructor(
    code: XeroIdentityErrorCode,
    message: string,
    /** Xero's OAuth error code (`invalid_grant`, `invalid_client`…), when it sent one. */
    readonly oauthError?: string,
    readonly status?: number,
  ) {
    super(code, message);
  }
}
