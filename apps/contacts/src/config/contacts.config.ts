import { WithJwtVerification } from '@ledgerline/auth';
import { ServiceConfig, WholeNumber, WithInternalApiToken } from '@ledgerline/platform';
import { WithXeroCaller } from '@ledgerline/xero-client';
import { WithOperationsEngine } from '@ledgerline/xero-operations';

/**
 * The contacts service's settings: the platform's, Xero and the connections service (it calls Xero),
 * JWT verification for its REST endpoint, the operations engine that makes its Xero calls, and how long a sync
 * request waits for a client not received yet.
 */
export class ContactsConfig extends WithOperationsEngine(WithJwtVerification(WithXeroCaller(WithInternalApiToken(ServiceConfig)))) {
  override PORT = 3002;

  /** How long a sync request for a client not received yet waits for its client.upserted: 1 s to 7 days. */
  @WholeNumber('CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS', 1_000, 604_800_000)
  CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS = 900_000;

  /** How often waiting requests are checked: 100 ms to 10 minutes. A request is answered at most this long after its wait ends. */
  @WholeNumber('CONTACT_SYNC_SWEEP_INTERVAL_MS', 100, 600_000)
  CONTACT_SYNC_SWEEP_INTERVAL_MS = 5_000;

  /** How often each connected company's contacts are read from Xero (If-Modified-Since): 100 ms to 1 day. */
  @WholeNumber('CONTACTS_POLL_INTERVAL_MS', 100, 86_400_000)
  CONTACTS_POLL_INTERVAL_MS = 300_000;
}
