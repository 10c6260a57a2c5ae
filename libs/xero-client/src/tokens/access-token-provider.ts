/** A short-lived Xero access token and the organisation (tenant) it is for. */
export interface XeroAccessToken {
  accessToken: string;
  tenantId: string;
  expiresAt: Date;
}

export interface AccessTokenRequest {
  /**
   * An access token Xero just refused (401) although it had not expired by our records: the provider must
   * not hand it out again, and the connections service refreshes the company's tokens if it is still the
   * current one. Only its fingerprint ever leaves the process.
   */
  rejected?: string;
  /**
   * An access token Xero accepted but refused the company's organisation for (403 AuthenticationUnsuccessful:
   * the organisation is no longer connected to it, e.g. disconnected in Xero). The connections service checks
   * Xero's connections list and, if the organisation is gone, ends the connection (NOT_CONNECTED from then
   * on). Only its fingerprint ever leaves the process.
   */
  refusedTenant?: string;
}

/**
 * Port: where the client gets a company's access token. Only the connections service holds refresh tokens;
 * everything else asks it through this port.
 */
export interface AccessTokenProvider {
  getAccessToken(companyId: string, request?: AccessTokenRequest): Promise<XeroAccessToken>;
}

export const ACCESS_TOKEN_PROVIDER = Symbol('ACCESS_TOKEN_PROVIDER');
