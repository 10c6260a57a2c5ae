import { DEFAULT_XERO_LIMITS, XeroClientConfigError, loadXeroClientConfig } from './xero-client.config';

describe('loadXeroClientConfig', () => {
  const base = { CONNECTIONS_INTERNAL_URL: 'http://connections:3001/', INTERNAL_API_TOKEN: 't' };

  it('defaults to the local sandbox and Xero\'s published limits', () => {
    const config = loadXeroClientConfig(base, { requireConnections: true });
    expect(config.apiBaseUrl).toBe('http://127.0.0.1:4010');
    expect(config.connectionsInternalUrl).toBe('http://connections:3001');
    expect(config.limits).toEqual(DEFAULT_XERO_LIMITS);
    expect(config.limits).toMatchObject({ perMinute: 60, concurrent: 5, perDay: 5_000, appPerMinute: 10_000 });
  });

  it('reads limit, window, timeout and retry overrides', () => {
    const config = loadXeroClientConfig({
      ...base,
      XERO_LIMIT_PER_MINUTE: '30',
      XERO_LIMIT_MINUTE_WINDOW_MS: '5000',
      XERO_REQUEST_TIMEOUT_MS: '2000',
      XERO_RETRY_MAX_ATTEMPTS: '3',
    });
    expect(config.limits.perMinute).toBe(30);
    expect(config.limits.minuteWindowMs).toBe(5_000);
    expect(config.requestTimeoutMs).toBe(2_000);
    expect(config.retry.maxAttempts).toBe(3);
  });

  it.each([
    [{ XERO_LIMIT_PER_MINUTE: 'sixty' }, /XERO_LIMIT_PER_MINUTE/],
    [{ XERO_LIMIT_CONCURRENT: '0' }, /XERO_LIMIT_CONCURRENT/],
    [{ XERO_API_BASE_URL: 'not a url' }, /XERO_API_BASE_URL/],
    [{ CONNECTIONS_INTERNAL_URL: 'ftp://x' }, /CONNECTIONS_INTERNAL_URL/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ XERO_REQUEST_TIMEOUT_MS: '200000' }, /XERO_LIMIT_LEASE_TTL_MS/],
  ])('names the variable when a value is bad: %j', (env, message) => {
    expect(() => loadXeroClientConfig({ ...base, ...env })).toThrow(XeroClientConfigError);
    expect(() => loadXeroClientConfig({ ...base, ...env })).toThrow(message);
  });

  it('requires the connections settings only for the HTTP token provider', () => {
    expect(() => loadXeroClientConfig({}, { requireConnections: true })).toThrow(/CONNECTIONS_INTERNAL_URL/);
    expect(() => loadXeroClientConfig({ CONNECTIONS_INTERNAL_URL: 'http://c' }, { requireConnections: true })).toThrow(/INTERNAL_API_TOKEN/);
    expect(loadXeroClientConfig({}).connectionsInternalUrl).toBeUndefined();
  });
});
