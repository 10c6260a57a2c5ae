import { ConfigError, loadConfig } from '@ledgerline/platform';
import { PaymentsConfig } from './payments.config';

const KEY = 'a-webhook-key-from-the-xero-app';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(PaymentsConfig, env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe('PaymentsConfig', () => {
  it('accepts the webhook key and fills the receiver defaults', () => {
    expect(loadConfig(PaymentsConfig, { XERO_WEBHOOK_KEY: KEY })).toMatchObject({
      PORT: 3004,
      XERO_WEBHOOK_KEY: KEY,
      WEBHOOK_MAX_BODY_BYTES: 1_048_576,
      WEBHOOK_PROCESSING_ENABLED: true,
      WEBHOOK_LEASE_MS: 30_000,
    });
  });

  it('refuses to start without the webhook key', () => {
    expect(problems({})).toEqual(['XERO_WEBHOOK_KEY is required (at least 16 characters)']);
  });

  it('names a bad key without echoing it', () => {
    const found = problems({ XERO_WEBHOOK_KEY: 'short key' });
    expect(found).toEqual(['XERO_WEBHOOK_KEY must be 16-512 characters without spaces']);
    expect(found.join(' ')).not.toContain('short key');
  });

  it('names bad receiver settings', () => {
    expect(problems({ XERO_WEBHOOK_KEY: KEY, WEBHOOK_MAX_BODY_BYTES: '10', WEBHOOK_PROCESSING_ENABLED: 'yes', WEBHOOK_LEASE_MS: 'soon' })).toEqual([
      'WEBHOOK_MAX_BODY_BYTES must be a whole number from 1024 to 10485760',
      'WEBHOOK_PROCESSING_ENABLED must be true or false',
      'WEBHOOK_LEASE_MS must be a whole number from 1000 to 3600000',
    ]);
  });
});
