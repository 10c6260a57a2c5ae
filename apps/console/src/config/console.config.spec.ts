import { ConfigError, loadConfig } from '@ledgerline/platform';
import { ConsoleConfig } from './console.config';

const BASE = { JWT_SECRET: 'a-jwt-secret-of-enough-length-0123456789' };

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(ConsoleConfig, { ...BASE, ...env });
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe('ConsoleConfig', () => {
  it('runs on port 3000 with the dev sign-in off and the other services on their local ports', () => {
    expect(loadConfig(ConsoleConfig, BASE)).toMatchObject({
      PORT: 3000,
      CONSOLE_DEV_SIGN_IN: false,
      CONSOLE_SYNC_LEASE_MS: 120_000,
      CONSOLE_CONNECTIONS_URL: 'http://127.0.0.1:3001',
      CONSOLE_DOCUMENTS_URL: 'http://127.0.0.1:3003',
    });
  });

  it('refuses the dev sign-in where tokens are verified with a public key only', () => {
    const publicKey = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----';
    expect(problems({ JWT_SECRET: undefined, JWT_PUBLIC_KEY: publicKey, CONSOLE_DEV_SIGN_IN: 'true' })).toContain(
      'CONSOLE_DEV_SIGN_IN=true needs JWT_SECRET: the dev sign-in signs its tokens with it',
    );
    expect(problems({ JWT_SECRET: undefined, JWT_PUBLIC_KEY: publicKey })).toEqual([]);
  });

  it('names every bad setting', () => {
    expect(problems({ CONSOLE_SYNC_LEASE_MS: '10', CONSOLE_DEV_SIGN_IN: 'yes', CONSOLE_CONTACTS_URL: 'contacts:3002' })).toEqual(
      expect.arrayContaining([
        'CONSOLE_SYNC_LEASE_MS must be a whole number from 500 to 3600000',
        'CONSOLE_DEV_SIGN_IN must be true or false',
        'CONSOLE_CONTACTS_URL must be an absolute http(s) URL',
      ]),
    );
  });
});
