import { AccessTokenProvider, AccessTokenRequest, XeroAccessToken } from './access-token-provider';

export interface CachingAccessTokenProviderOptions {
  /** Drop a cached token this long before it expires, so no call starts with a token about to lapse. */
  refreshSkewMs: number;
  now?: () => number;
}

interface Fetch {
  promise: Promise<XeroAccessToken>;
  /** The report this fetch carried (`rejected:<token>` or `refusedTenant:<token>`), if any. */
  report?: string;
}

/** A report names a token and what Xero did with it; callers with the same report share one fetch. */
const reportOf = (request: AccessTokenRequest): { token: string; key: string } | undefined =>
  request.rejected !== undefined
    ? { token: request.rejected, key: `rejected:${request.rejected}` }
    : request.refusedTenant !== undefined
      ? { token: request.refusedTenant, key: `refusedTenant:${request.refusedTenant}` }
      : undefined;

/**
 * Keeps each company's token until shortly before it expires, and makes concurrent callers for one company
 * share a single fetch, so a burst of calls costs the connections service one request.
 *
 * A caller whose token Xero refused passes it as `rejected`: that exact token is dropped (a newer one
 * another caller already fetched is kept and returned), and the fetch reports it to the source. Callers
 * reporting the same token share one fetch; a fetch started before the rejection may bring the rejected
 * token back, so its callers wait for it and, if it does, report the token again. A token whose organisation
 * Xero refused (`refusedTenant`) is reported and shared the same way.
 */
export class CachingAccessTokenProvider implements AccessTokenProvider {
  private readonly cache = new Map<string, XeroAccessToken>();
  private readonly inFlight = new Map<string, Fetch>();
  private readonly now: () => number;

  constructor(
    private readonly source: AccessTokenProvider,
    private readonly options: CachingAccessTokenProviderOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  getAccessToken(companyId: string, request: AccessTokenRequest = {}): Promise<XeroAccessToken> {
    const report = reportOf(request);
    const cached = this.cache.get(companyId);
    if (cached && cached.accessToken !== report?.token && cached.expiresAt.getTime() - this.options.refreshSkewMs > this.now()) {
      return Promise.resolve(cached);
    }
    this.cache.delete(companyId);

    const pending = this.inFlight.get(companyId);
    if (pending) {
      if (report === undefined || pending.report === report.key) return pending.promise;
      return pending.promise.then((token) => (token.accessToken === report.token ? this.getAccessToken(companyId, request) : token));
    }
    const forwarded: AccessTokenRequest | undefined =
      request.rejected !== undefined ? { rejected: request.rejected } : request.refusedTenant !== undefined ? { refusedTenant: request.refusedTenant } : undefined;
    const promise = (forwarded === undefined ? this.source.getAccessToken(companyId) : this.source.getAccessToken(companyId, forwarded))
      .then((token) => {
        this.cache.set(companyId, token);
        return token;
      })
      .finally(() => this.inFlight.delete(companyId));
    this.inFlight.set(companyId, { promise, report: report?.key });
    return promise;
  }
}
