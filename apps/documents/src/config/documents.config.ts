import { WithJwtVerification } from '@ledgerline/auth';
import { ServiceConfig, WholeNumber, WithInternalApiToken } from '@ledgerline/platform';
import { WithOperationsEngine } from '@ledgerline/xero-operations';
import { WithXeroCaller } from '@ledgerline/xero-client';

/**
 * The documents service's settings: the platform's, Xero and the connections service (it calls Xero),
 * JWT verification for its REST API, and the operations engine that sends ready documents to Xero.
 */
export class DocumentsConfig extends WithOperationsEngine(WithJwtVerification(WithXeroCaller(WithInternalApiToken(ServiceConfig)))) {
  override PORT = 3003;

  /** Invoices per Xero call; Xero takes at most 50 with per-element results. */
  @WholeNumber('INVOICE_BATCH_SIZE', 1, 50)
  INVOICE_BATCH_SIZE = 50;

  /** Quotes per Xero call (at most 50). */
  @WholeNumber('QUOTE_BATCH_SIZE', 1, 50)
  QUOTE_BATCH_SIZE = 50;

  /** Purchase orders per Xero call (at most 50). */
  @WholeNumber('PURCHASE_ORDER_BATCH_SIZE', 1, 50)
  PURCHASE_ORDER_BATCH_SIZE = 50;

  /** How often the quotes of companies with quotes awaiting an answer are polled (Xero has no quote webhooks), in ms. */
  @WholeNumber('QUOTES_POLL_INTERVAL_MS', 1_000, 86_400_000)
  QUOTES_POLL_INTERVAL_MS = 300_000;

  /** How often the purchase orders of companies with unbilled ones are polled for bills raised from them, in ms. */
  @WholeNumber('PURCHASE_ORDERS_POLL_INTERVAL_MS', 1_000, 86_400_000)
  PURCHASE_ORDERS_POLL_INTERVAL_MS = 300_000;

  // --- The contact saga ---

  /** Ask the contacts service again when a contact sync request has gone unanswered this long, in ms. */
  @WholeNumber('CONTACT_SYNC_REREQUEST_MS', 1_000, 604_800_000)
  CONTACT_SYNC_REREQUEST_MS = 600_000;
}
