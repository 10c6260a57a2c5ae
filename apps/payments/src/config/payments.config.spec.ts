import { ConfigError, loadConfig } from '@ledgerline/platform';
import { PaymentsConfig } from './payments.config';

const KEY = 'a-webhook-key-from-the-xero-app';
/** What the reconciliation needs besides the webhook key: tokens from the connections service, JWT verification. */
const BASE = { CONNECTIONS_INTERNAL_URL: 'http://127.0.0.1:3001', INTERNAL_API_TOKEN: 'an-internal-token-0123456789abcdef', JWT_SECRET: 'a-jwt-secret-of-enough-length-0123456789' };

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(PaymentsConfig, { ...BASE, ...env });
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe('PaymentsConfig', () => {
  it('accepts the webhook key and fills the receiver defaults', () => {
    expect(loadConfig(PaymentsConfig, { ...BASE, XERO_WEBHOOK_KEY: KEY })).toMatchObject({
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

  it('polls every 5 minutes by default, and names bad poll settings', () => {
    expect(loadConfig(PaymentsConfig, { ...BASE, XERO_WEBHOOK_KEY: KEY })).toMatchObject({ PAYMENTS_POLL_INTERVAL_MS: 300_000, PAYMENTS_POLL_RESOURCES: ['Invoices'], PAYMENTS_POLL_ENABLED: true });
    expect(loadConfig(PaymentsConfig, { ...BASE, XERO_WEBHOOK_KEY: KEY, PAYMENTS_POLL_RESOURCES: 'Invoices, Payments' }).PAYMENTS_POLL_RESOURCES).toEqual(['Invoices', 'Payments']);
    expect(problems({ XERO_WEBHOOK_KEY: KEY, PAYMENTS_POLL_INTERVAL_MS: '5', PAYMENTS_POLL_RESOURCES: 'Invoices,Contacts' })).toEqual([
      'PAYMENTS_POLL_INTERVAL_MS must be a whole number from 100 to 86400000',
      'PAYMENTS_POLL_RESOURCES must be a comma-separated list of Invoices, Payments',
    ]);
  });
});
