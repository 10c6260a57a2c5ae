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
  it('accepts the required settings and fills the operations engine defaults', () => {
    const config = loadConfig(DocumentsConfig, valid);
    expect(config).toMatchObject({
      PORT: 3003,
      OPERATIONS_WORKER_ENABLED: true,
      INVOICE_BATCH_SIZE: 50,
      OPERATIONS_CONCURRENCY: 4,
      OPERATIONS_KEY_WINDOW_MS: 300_000,
      OPERATIONS_ATTEMPT_RETENTION_DAYS: 30,
      JWT_ISSUER: 'ledgerline-gateway',
      JWT_AUDIENCE: 'ledgerline-api',
    });
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

  it('names bad engine and batch settings', () => {
    expect(problems({ ...valid, INVOICE_BATCH_SIZE: '51', OPERATIONS_LINGER_MS: 'soon', OPERATIONS_WORKER_ENABLED: 'yes', OPERATIONS_KEY_WINDOW_MS: '400000' }).sort()).toEqual(
      [
        'INVOICE_BATCH_SIZE must be a whole number from 1 to 50',
        'OPERATIONS_KEY_WINDOW_MS must be a whole number from 100 to 360000',
        'OPERATIONS_LINGER_MS must be a whole number from 0 to 60000',
        'OPERATIONS_WORKER_ENABLED must be true or false',
      ].sort(),
    );
  });

  it('insists that a lease outlives the renewal cadence', () => {
    expect(problems({ ...valid, OPERATIONS_INTERVAL_MS: '1000', OPERATIONS_LEASE_MS: '2000' })).toEqual(['OPERATIONS_LEASE_MS must be at least 3 × OPERATIONS_INTERVAL_MS']);
    expect(problems({ ...valid, OPERATIONS_INTERVAL_MS: '1000', OPERATIONS_LEASE_MS: '3000' })).toEqual([]);
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
