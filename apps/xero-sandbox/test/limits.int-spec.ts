import { Sandbox } from '../src/sandbox';
import { call, organisationWithToken, startSandbox } from './support/sandbox-harness';

/** Each limit answers 429 exactly when it should, with Retry-After and X-Rate-Limit-Problem. */
describe('Xero rate limits', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });

  afterAll(() => sandbox.close());

  beforeEach(async () => {
    await call(sandbox, 'POST', '/__sandbox/reset');
  });

  it('minute limit: the (n+1)th call in the rolling window is refused until the oldest call leaves it', async () => {
    await call(sandbox, 'PUT', '/__sandbox/limits', { body: { perMinute: 3, minuteWindowMs: 60_000 } });
    const org = await organisationWithToken(sandbox);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ok = await org.api('GET', '/api.xro/2.0/Contacts');
      expect(ok.status).toBe(200);
      remaining.push(ok.headers.get('x-minlimit-remaining')!);
      expect(ok.headers.get('x-daylimit-remaining')).toBe(String(5000 - i - 1));
      expect(ok.headers.get('x-appminlimit-remaining')).toBe(String(10000 - i - 1));
      // Space the calls 20 s apart on the sandbox clock: t = 0, 20, 40.
      if (i < 2) await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { seconds: 20 } });
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await org.api('GET', '/api.xro/2.0/Contacts');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-problem')).toBe('minute');
    // The call at t=0 leaves the window at t=60: about 20 s from now (t=40).
    expect(Number(limited.headers.get('retry-after'))).toBe(20);
    expect(limited.headers.get('x-minlimit-remaining')).toBe('0');
    // Another organisation has its own minute budget.
    const other = await organisationWithToken(sandbox, 'Other');
    expect((await other.api('GET', '/api.xro/2.0/Contacts')).status).toBe(200);
    // Rolling, not fixed buckets: at t=60 exactly one slot (the t=0 call's) is free again.
    await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { seconds: 20 } });
    expect((await org.api('GET', '/api.xro/2.0/Contacts')).status).toBe(200);
    expect((await org.api('GET', '/api.xro/2.0/Contacts')).status).toBe(429);
    const counters = await call(sandbox, 'GET', '/__sandbox/counters');
    expect((counters.body['byOrganisation'] as Record<string, { rateLimited: number }>)[org.tenantId].rateLimited).toBe(2);
  });

  it('daily limit: refused with problem "daily" once the rolling day is used up', async () => {
    await call(sandbox, 'PUT', '/__sandbox/limits', { body: { perDay: 4, perMinute: 100 } });
    const org = await organisationWithToken(sandbox);
    for (let i = 0; i < 4; i++) expect((await org.api('GET', '/api.xro/2.0/Invoices')).status).toBe(200);
    const limited = await org.api('GET', '/api.xro/2.0/Invoices');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-problem')).toBe('daily');
    expect(limited.headers.get('x-daylimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(86_000);
    await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { hours: 24 } });
    // A day later the old access token has long expired (30 minutes); a fresh one may call again.
    expect((await org.api('GET', '/api.xro/2.0/Invoices')).status).toBe(401);
    const fresh = await call(sandbox, 'POST', '/__sandbox/tokens', { body: { tenantIds: [org.tenantId] } });
    const again = await call(sandbox, 'GET', '/api.xro/2.0/Invoices', { headers: { authorization: `Bearer ${fresh.body['access_token']}`, 'xero-tenant-id': org.tenantId } });
    expect(again.status).toBe(200);
    expect(again.headers.get('x-daylimit-remaining')).toBe('3');
  });

  it('app minute limit: shared by all organisations of one app', async () => {
    await call(sandbox, 'PUT', '/__sandbox/limits', { body: { appPerMinute: 3, perMinute: 100, minuteWindowMs: 1000 } });
    const first = await organisationWithToken(sandbox, 'A');
    const second = await organisationWithToken(sandbox, 'B');
    expect((await first.api('GET', '/api.xro/2.0/Contacts')).status).toBe(200);
    expect((await second.api('GET', '/api.xro/2.0/Contacts')).status).toBe(200);
    const last = await first.api('GET', '/api.xro/2.0/Contacts');
    expect(last.headers.get('x-appminlimit-remaining')).toBe('0');
    const limited = await second.api('GET', '/api.xro/2.0/Contacts');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-problem')).toBe('appminute');
    expect(limited.headers.get('retry-after')).toBe('1');
    // A fast window in real time: after it passes the app may call again.
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect((await second.api('GET', '/api.xro/2.0/Contacts')).status).toBe(200);
  });

  it('concurrent limit: the 6th call while 5 are in flight is refused; once they finish calls succeed', async () => {
    await call(sandbox, 'PUT', '/__sandbox/limits', { body: { perMinute: 100 } });
    const org = await organisationWithToken(sandbox);
    // 400 ms of injected latency keeps calls in flight (latency runs after admission, like a slow Xero).
    await call(sandbox, 'POST', '/__sandbox/faults', { body: { tenantId: org.tenantId, latencyMs: 400 } });
    const inFlight = Array.from({ length: 5 }, () => org.api('GET', '/api.xro/2.0/Contacts'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const limits = await call(sandbox, 'GET', `/__sandbox/limits?tenantId=${org.tenantId}`);
    expect(limits.body['usage']).toMatchObject({ inFlight: 5 });
    const sixth = await org.api('GET', '/api.xro/2.0/Contacts');
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('x-rate-limit-problem')).toBe('concurrent');
    expect(sixth.headers.get('retry-after')).toBe('1');
    expect((await Promise.all(inFlight)).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await call(sandbox, 'DELETE', '/__sandbox/faults');
    expect((await org.api('GET', '/api.xro/2.0/Contacts')).status).toBe(200);
  });

  it('faults: a share of 5xx, 429 storms and timeouts that hang then drop', async () => {
    const org = await organisationWithToken(sandbox);
    await call(sandbox, 'POST', '/__sandbox/faults', { body: { tenantId: org.tenantId, errorRate: 1, errorStatus: 503, remaining: 1 } });
    const failed = await org.api('GET', '/api.xro/2.0/Contacts');
    expect(failed.status).toBe(503);
    expect((await org.api('GET', '/api.xro/2.0/Contacts')).status).toBe(200);
    await call(sandbox, 'POST', '/__sandbox/faults', { body: { rateLimitRate: 1, retryAfterSeconds: 7, remaining: 1 } });
    const storm = await org.api('GET', '/api.xro/2.0/Contacts');
    expect(storm.status).toBe(429);
    expect(storm.headers.get('retry-after')).toBe('7');
    await call(sandbox, 'POST', '/__sandbox/faults', { body: { timeoutRate: 1, hangMs: 200, remaining: 1 } });
    const started = Date.now();
    await expect(org.api('GET', '/api.xro/2.0/Contacts')).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const log = await call(sandbox, 'GET', `/__sandbox/calls?tenantId=${org.tenantId}`);
    expect((log.body as unknown as { status: number; fault?: string }[]).map((c) => [c.status, c.fault])).toEqual([
      [503, 'error'],
      [200, undefined],
      [429, 'ratelimit'],
      [0, 'timeout'],
    ]);
  });
});
