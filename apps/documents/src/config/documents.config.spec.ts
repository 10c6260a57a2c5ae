import { ConfigError, loadConfig } from '@ledgerline/platform';
import { DocumentsConfig } from './documents.config';

const valid = {
  CONNECTIONS_INTERNAL_URL: 'http://connections:3001',
  INTERNAL_API_TOKEN: 'an-internal-token-of-at-least-32-chars',
  JWT_SECRET: 'a-jwt-secret-of-at-least-thirty-two-characters',
};

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(DocumentsConfig, env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe('DocumentsConfig', () => {
  it('accepts the required settings and fills the dispatcher defaults', () => {
    const config = loadConfig(DocumentsConfig, valid);
    expect(config).toMatchObject({ PORT: 3003, DISPATCH_ENABLED: true, DISPATCH_BATCH_SIZE: 50, DISPATCH_CONCURRENCY: 4, JWT_ISSUER: 'ledgerline-gateway', JWT_AUDIENCE: 'ledgerline-api' });
  });

  it('names every missing secret and endpoint', () => {
    expect(problems({})).toEqual(
      expect.arrayContaining([
        'CONNECTIONS_INTERNAL_URL must be an absolute http(s) URL',
        'INTERNAL_API_TOKEN is required (at least 32 characters)',
        'JWT_SECRET (at least 32 characters) or JWT_PUBLIC_KEY is required',
      ]),
    );
  });

  it('names bad dispatcher settings', () => {
    expect(problems({ ...valid, DISPATCH_BATCH_SIZE: '51', DISPATCH_LINGER_MS: 'soon', DISPATCH_ENABLED: 'yes' })).toEqual([
      'DISPATCH_ENABLED must be true or false',
      'DISPATCH_BATCH_SIZE must be a whole number from 1 to 50',
      'DISPATCH_LINGER_MS must be a whole number from 0 to 60000',
    ]);
  });

  it('insists that a lease outlives the renewal cadence', () => {
    expect(problems({ ...valid, DISPATCH_INTERVAL_MS: '1000', DISPATCH_LEASE_MS: '2000' })).toEqual(['DISPATCH_LEASE_MS must be at least 3 × DISPATCH_INTERVAL_MS']);
    expect(problems({ ...valid, DISPATCH_INTERVAL_MS: '1000', DISPATCH_LEASE_MS: '3000' })).toEqual([]);
  });

  it("reports a bad Xero client setting with the client's own message", () => {
    const saved = process.env.XERO_LIMIT_PER_MINUTE;
    process.env.XERO_LIMIT_PER_MINUTE = 'lots';
    try {
      expect(problems(valid)).toEqual(["XERO_CLIENT: XERO_LIMIT_PER_MINUTE must be a whole number, got 'lots'"]);
    } finally {
      if (saved === undefined) delete process.env.XERO_LIMIT_PER_MINUTE;
      else process.env.XERO_LIMIT_PER_MINUTE = saved;
    }
  });
});
