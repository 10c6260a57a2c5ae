import { loadConfig, ServiceConfig, WithInternalApiToken } from '@ledgerline/platform';
import { WithXeroCaller, xeroClientSettings } from './xero-caller-config';

class CallerConfig extends WithXeroCaller(WithInternalApiToken(ServiceConfig)) {
  override PORT = 3999;
}

const env = { CONNECTIONS_INTERNAL_URL: 'http://127.0.0.1:3001/', INTERNAL_API_TOKEN: 'i'.repeat(40), DATABASE_URL: 'postgres://postgres@db:5432/ledgerline' };

describe('a service config with WithXeroCaller', () => {
  it("gives the client the service's validated URLs and token, and the tuning from the environment", () => {
    const config = loadConfig(CallerConfig, env);
    const settings = xeroClientSettings(config, { ...env, XERO_RETRY_MAX_ATTEMPTS: '3', XERO_LIMIT_PER_MINUTE: '30' });
    expect(settings).toMatchObject({
      apiBaseUrl: 'http://127.0.0.1:4010',
      connectionsInternalUrl: 'http://127.0.0.1:3001',
      internalApiToken: 'i'.repeat(40),
      databaseUrl: 'postgres://postgres@db:5432/ledgerline',
      retry: { maxAttempts: 3 },
      limits: { perMinute: 30 },
    });
  });

  it('names a bad tuning variable among the config problems, and a missing or bad URL', () => {
    const previous = process.env.XERO_RETRY_MAX_ATTEMPTS;
    process.env.XERO_RETRY_MAX_ATTEMPTS = 'many';
    try {
      expect(() => loadConfig(CallerConfig, { ...env, CONNECTIONS_INTERNAL_URL: undefined, XERO_API_BASE_URL: 'ftp://xero' })).toThrow(
        /CONNECTIONS_INTERNAL_URL must be an absolute http\(s\) URL; .*XERO_API_BASE_URL must be an absolute http\(s\) URL|XERO_API_BASE_URL must be an absolute http\(s\) URL; CONNECTIONS_INTERNAL_URL must be an absolute http\(s\) URL/,
      );
      expect(() => loadConfig(CallerConfig, env)).toThrow("XERO_CLIENT: XERO_RETRY_MAX_ATTEMPTS must be a whole number, got 'many'");
    } finally {
      if (previous === undefined) delete process.env.XERO_RETRY_MAX_ATTEMPTS;
      else process.env.XERO_RETRY_MAX_ATTEMPTS = previous;
    }
  });
});
