import { ConfigError, loadConfig } from '@ledgerline/platform';
import { ContactsConfig } from './contacts.config';

const valid = { CONNECTIONS_INTERNAL_URL: 'http://127.0.0.1:3001', INTERNAL_API_TOKEN: 'i'.repeat(40), JWT_SECRET: 'j'.repeat(40) };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(ContactsConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('ContactsConfig', () => {
  it('starts from the connections URL, the internal token and the JWT secret, with the sandbox as Xero', () => {
    expect(loadConfig(ContactsConfig, valid)).toMatchObject({ PORT: 3002, XERO_API_BASE_URL: 'http://127.0.0.1:4010', JWT_ISSUER: 'ledgerline-gateway', JWT_AUDIENCE: 'ledgerline-api', ...valid });
  });

  it('names every missing setting at once', () => {
    const problems = problemsOf({});
    expect(problems).toContain('CONNECTIONS_INTERNAL_URL must be an absolute http(s) URL');
    expect(problems).toContain('INTERNAL_API_TOKEN is required (at least 32 characters)');
    expect(problems).toContain('JWT_SECRET (at least 32 characters) or JWT_PUBLIC_KEY is required');
  });

  it('refuses a short internal token without echoing it, and a URL that is not http(s)', () => {
    const problems = problemsOf({ ...valid, INTERNAL_API_TOKEN: 'short-secret', JWT_SECRET: 'short-jwt', XERO_API_BASE_URL: 'ftp://xero.example' }).join('\n');
    expect(problems).toContain('INTERNAL_API_TOKEN must be 32-512 characters without spaces');
    expect(problems).toContain('JWT_SECRET must be at least 32 characters');
    expect(problems).toContain('XERO_API_BASE_URL must be an absolute http(s) URL');
    expect(problems).not.toContain('short-secret');
    expect(problems).not.toContain('short-jwt');
  });

  it('takes a PEM public key instead of a secret, but not both', () => {
    const key = '-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----';
    const { JWT_SECRET: _secret, ...withoutSecret } = valid;
    expect(loadConfig(ContactsConfig, { ...withoutSecret, JWT_PUBLIC_KEY: key }).JWT_PUBLIC_KEY).toContain('\n');
    expect(problemsOf({ ...valid, JWT_PUBLIC_KEY: key })).toEqual(['JWT_SECRET and JWT_PUBLIC_KEY are both set: set one of them']);
  });

  it('waits 15 minutes for an unknown client and sweeps every 5 s unless told otherwise', () => {
    expect(loadConfig(ContactsConfig, valid)).toMatchObject({ CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS: 900_000, CONTACT_SYNC_SWEEP_INTERVAL_MS: 5_000 });
    expect(loadConfig(ContactsConfig, { ...valid, CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS: '1000', CONTACT_SYNC_SWEEP_INTERVAL_MS: ' 200 ' })).toMatchObject({
      CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS: 1_000,
      CONTACT_SYNC_SWEEP_INTERVAL_MS: 200,
    });
    expect(problemsOf({ ...valid, CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS: '604800000' })).toEqual([]);
  });

  it('refuses waits and sweep intervals out of bounds, naming the variable and the range', () => {
    expect(problemsOf({ ...valid, CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS: '999' })).toEqual(['CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS must be a whole number from 1000 to 604800000']);
    expect(problemsOf({ ...valid, CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS: '15m' })).toEqual(['CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS must be a whole number from 1000 to 604800000']);
    expect(problemsOf({ ...valid, CONTACT_SYNC_SWEEP_INTERVAL_MS: '600001' })).toEqual(['CONTACT_SYNC_SWEEP_INTERVAL_MS must be a whole number from 100 to 600000']);
  });

  it('polls each connected company every 5 minutes unless told otherwise, within 100 ms to a day', () => {
    expect(loadConfig(ContactsConfig, valid).CONTACTS_POLL_INTERVAL_MS).toBe(300_000);
    expect(loadConfig(ContactsConfig, { ...valid, CONTACTS_POLL_INTERVAL_MS: '1000' }).CONTACTS_POLL_INTERVAL_MS).toBe(1_000);
    expect(problemsOf({ ...valid, CONTACTS_POLL_INTERVAL_MS: '99' })).toEqual(['CONTACTS_POLL_INTERVAL_MS must be a whole number from 100 to 86400000']);
  });
});
