import { AccessTokenProvider, AccessTokenRequest, XeroAccessToken } from './access-token-provider';
import { CachingAccessTokenProvider } from './caching-access-token-provider';

class CountingSource implements AccessTokenProvider {
  calls = 0;
  /** What each fetch reported as rejected (undefined: a plain fetch). */
  readonly reported: Array<string | undefined> = [];
  /** Every request as the source got it. */
  readonly requests: Array<AccessTokenRequest | undefined> = [];
  private resolvers: Array<(t: XeroAccessToken) => void> = [];
  constructor(private readonly ttlMs: number, private readonly now: () => number) {}
  getAccessToken(companyId: string, request?: AccessTokenRequest): Promise<XeroAccessToken> {
    this.calls += 1;
    this.reported.push(request?.rejected);
    this.requests.push(request);
    const n = this.calls;
    return new Promise((resolve) =>
      this.resolvers.push(() => resolve({ accessToken: `${companyId}-token-${n}`, tenantId: `${companyId}-tenant`, expiresAt: new Date(this.now() + this.ttlMs) })),
    );
  }
  resolveAll(): void {
    this.resolvers.splice(0).forEach((r) => r(undefined as never));
  }
}

describe('CachingAccessTokenProvider', () => {
  let now: number;
  let source: CountingSource;
  let cache: CachingAccessTokenProvider;

  beforeEach(() => {
    now = 1_000_000;
    source = new CountingSource(30 * 60_000, () => now);
    cache = new CachingAccessTokenProvider(source, { refreshSkewMs: 120_000, now: () => now });
  });

  it('shares one in-flight fetch between concurrent callers for a company', async () => {
    const pending = Array.from({ length: 10 }, () => cache.getAccessToken('c1'));
    const other = cache.getAccessToken('c2');
    expect(source.calls).toBe(2);
    source.resolveAll();
    const tokens = await Promise.all(pending);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['c1-token-1']));
    expect((await other).tenantId).toBe('c2-tenant');
  });

  it('serves from cache until shortly before expiry, then fetches a new token', async () => {
    const first = cache.getAccessToken('c1');
    source.resolveAll();
    expect((await first).accessToken).toBe('c1-token-1');

    now += 27 * 60_000; // 3 minutes left: still outside the 2-minute skew
    expect((await cache.getAccessToken('c1')).accessToken).toBe('c1-token-1');
    expect(source.calls).toBe(1);

    now += 90_000; // 1.5 minutes left: inside the skew
    const refreshed = cache.getAccessToken('c1');
    expect(source.calls).toBe(2);
    source.resolveAll();
    expect((await refreshed).accessToken).toBe('c1-token-2');
  });

  it('drops a rejected token (401), reports it to the source, and keeps a newer one', async () => {
    const first = cache.getAccessToken('c1');
    source.resolveAll();
    const rejected = (await first).accessToken;

    const second = cache.getAccessToken('c1', { rejected });
    source.resolveAll();
    expect((await second).accessToken).toBe('c1-token-2');
    expect(source.reported).toEqual([undefined, 'c1-token-1']);

    // A late 401 for the old token must not evict the fresh one, nor reach the source.
    expect((await cache.getAccessToken('c1', { rejected })).accessToken).toBe('c1-token-2');
    expect((await cache.getAccessToken('c1')).accessToken).toBe('c1-token-2');
    expect(source.calls).toBe(2);
  });

  it('makes concurrent callers reporting the same rejected token share one fetch, and plain callers join it', async () => {
    const first = cache.getAccessToken('c1');
    source.resolveAll();
    const rejected = (await first).accessToken;

    const reporters = Array.from({ length: 10 }, () => cache.getAccessToken('c1', { rejected }));
    const plain = cache.getAccessToken('c1');
    expect(source.calls).toBe(2);
    source.resolveAll();
    const tokens = await Promise.all([...reporters, plain]);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['c1-token-2']));
    expect(source.reported).toEqual([undefined, 'c1-token-1']);
  });

  it('does not hand a rejected token back from a fetch that started before the rejection', async () => {
    // The source keeps handing out token 1 until it is reported, as the connections service does.
    let current = 'stale';
    const reported: Array<string | undefined> = [];
    const releases: Array<() => void> = [];
    const stubborn: AccessTokenProvider = {
      getAccessToken: (_companyId, request) => {
        reported.push(request?.rejected);
        if (request?.rejected === current) current = 'fresh';
        const token = { accessToken: current, tenantId: 't', expiresAt: new Date(now + 1_800_000) };
        return new Promise((resolve) => releases.push(() => resolve(token)));
      },
    };
    const c = new CachingAccessTokenProvider(stubborn, { refreshSkewMs: 0, now: () => now });

    const plain = c.getAccessToken('c1'); // in flight; it will bring back 'stale'
    const reporter = c.getAccessToken('c1', { rejected: 'stale' });
    expect(reported).toEqual([undefined]);
    releases.shift()!();
    expect((await plain).accessToken).toBe('stale');
    await new Promise((resolve) => setImmediate(resolve));
    expect(reported).toEqual([undefined, 'stale']);
    releases.shift()!();
    expect((await reporter).accessToken).toBe('fresh');
    expect((await c.getAccessToken('c1')).accessToken).toBe('fresh');
    expect(reported).toHaveLength(2);
  });

  it('reports a token whose organisation Xero refused once for concurrent callers, dropping it from the cache', async () => {
    const first = cache.getAccessToken('c1');
    source.resolveAll();
    const refused = (await first).accessToken;
    const reports = Array.from({ length: 5 }, () => cache.getAccessToken('c1', { refusedTenant: refused }));
    expect(source.requests).toEqual([undefined, { refusedTenant: refused }]);
    source.resolveAll();
    expect(new Set((await Promise.all(reports)).map((t) => t.accessToken))).toEqual(new Set(['c1-token-2']));
    // A 401 report of the same token is a different report: it is not folded into the finished one.
    const rejected = cache.getAccessToken('c1', { rejected: 'c1-token-2' });
    expect(source.requests[2]).toEqual({ rejected: 'c1-token-2' });
    source.resolveAll();
    await rejected;
  });

  it('passes no request to the source for a plain fetch', async () => {
    const plainSource = { getAccessToken: jest.fn().mockResolvedValue({ accessToken: 'a', tenantId: 't', expiresAt: new Date(now + 3_600_000) }) };
    await new CachingAccessTokenProvider(plainSource, { refreshSkewMs: 0, now: () => now }).getAccessToken('c1');
    expect(plainSource.getAccessToken).toHaveBeenCalledWith('c1');
  });

  it('does not cache failures', async () => {
    const failing: AccessTokenProvider = { getAccessToken: jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue({ accessToken: 'a', tenantId: 't', expiresAt: new Date(now + 3_600_000) }) };
    const c = new CachingAccessTokenProvider(failing, { refreshSkewMs: 0, now: () => now });
    await expect(c.getAccessToken('c1')).rejects.toThrow('down');
    await expect(c.getAccessToken('c1')).resolves.toMatchObject({ accessToken: 'a' });
  });
});
