import { ConfigError, loadConfig } from '@ledgerline/platform';
import { randomBytes } from 'node:crypto';
import { ConnectionsConfig } from './connections.config';

const key = randomBytes(32).toString('base64');
const valid = {
  TOKEN_ENCRYPTION_KEYS: `k1:${key}`,
  TOKEN_ENCRYPTION_ACTIVE_KEY: 'k1',
  JWT_SECRET: 'j'.repeat(40),
  INTERNAL_API_TOKEN: 'i'.repeat(40),
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(ConnectionsConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('ConnectionsConfig', () => {
  it('starts from the required secrets alone, with the sandbox and the dev client as defaults', () => {
    const config = loadConfig(ConnectionsConfig, valid);
    expect(config).toMatchObject({
      PORT: 3001,
      XERO_CLIENT_ID: 'ledgerline-dev',
      XERO_AUTHORIZE_URL: 'http://127.0.0.1:4010/identity/connect/authorize',
      XERO_TOKEN_URL: 'http://127.0.0.1:4010/connect/token',
      XERO_REVOCATION_URL: 'http://127.0.0.1:4010/connect/revocation',
      XERO_API_BASE_URL: 'http://127.0.0.1:4010',
      XERO_SCOPES: 'openid profile email offline_access accounting.contacts accounting.invoices accounting.payments.read accounting.settings.read projects',
      OAUTH_STATE_TTL_SECONDS: 600,
      TOKEN_REFRESH_AHEAD_SECONDS: 300,
      KEEP_ALIVE_AFTER_DAYS: 7,
    });
  });

  it('names every missing secret at once', () => {
    const problems = problemsOf({}).join('\n');
    expect(problems).toContain('TOKEN_ENCRYPTION_KEYS is required');
    expect(problems).toContain('TOKEN_ENCRYPTION_ACTIVE_KEY is required');
    expect(problems).toContain('JWT_SECRET (at least 32 characters) or JWT_PUBLIC_KEY is required');
    expect(problems).toContain('INTERNAL_API_TOKEN is required');
    expect(problemsOf({})).toHaveLength(4);
  });

  it('refuses short secrets and a bad keyring without echoing them', () => {
    const shortKey = randomBytes(16).toString('base64');
    const problems = problemsOf({ ...valid, TOKEN_ENCRYPTION_KEYS: `k1:${shortKey}`, INTERNAL_API_TOKEN: 'short-internal', JWT_SECRET: 'short-jwt' });
    const text = problems.join('\n');
    expect(text).toContain('TOKEN_ENCRYPTION_KEYS key "k1" must decode to 32 bytes');
    expect(text).toContain('INTERNAL_API_TOKEN must be 32-512 characters without spaces');
    expect(text).toContain('JWT_SECRET must be at least 32 characters');
    for (const secret of [shortKey, 'short-internal', 'short-jwt']) expect(text).not.toContain(secret);
  });

  it('refuses an active key that is not in the keyring', () => {
    expect(problemsOf({ ...valid, TOKEN_ENCRYPTION_ACTIVE_KEY: 'k2' })).toEqual(['TOKEN_ENCRYPTION_ACTIVE_KEY "k2" is not one of the key ids in TOKEN_ENCRYPTION_KEYS']);
  });

  it('takes a public key instead of a secret, but not both', () => {
    const publicKey = '-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----';
    const { JWT_SECRET: _secret, ...withoutSecret } = valid;
    expect(problemsOf({ ...withoutSecret, JWT_PUBLIC_KEY: publicKey })).toEqual([]);
    expect(loadConfig(ConnectionsConfig, { ...withoutSecret, JWT_PUBLIC_KEY: publicKey }).JWT_PUBLIC_KEY).toContain('\nMFkw');
    expect(problemsOf({ ...valid, JWT_PUBLIC_KEY: publicKey })).toEqual(['JWT_SECRET and JWT_PUBLIC_KEY are both set: set one of them']);
    expect(problemsOf({ ...withoutSecret, JWT_PUBLIC_KEY: 'not a key' })).toEqual(['JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----…)']);
  });

  it('checks URLs, scopes and timings', () => {
    const problems = problemsOf({ ...valid, XERO_TOKEN_URL: 'ftp://x', XERO_SCOPES: 'openid accounting.transactions', OAUTH_STATE_TTL_SECONDS: 'soon' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'XERO_TOKEN_URL must be an absolute http(s) URL',
        'XERO_SCOPES must be space-separated scopes including offline_access (without it there is no refresh token)',
        'OAUTH_STATE_TTL_SECONDS must be a whole number from 60 to 3600',
      ]),
    );
  });
});
