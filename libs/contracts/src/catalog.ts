import { ClientUpsertedPayload, ContactChangedPayload, ContactSyncedPayload, ContactSyncFailedPayload, ContactSyncRequestedPayload } from './events/client.events';
import {
  DocumentCancelFailedPayload,
  DocumentCancelledPayload,
  DocumentCancelRequestedPayload,
  InvoiceCreatedPayload,
  InvoiceFailedPayload,
  InvoiceRequestedPayload,
  PurchaseOrderBilledPayload,
  PurchaseOrderCreatedPayload,
  PurchaseOrderFailedPayload,
  PurchaseOrderRequestedPayload,
  QuoteAcceptedPayload,
  QuoteCreatedPayload,
  QuoteDeclinedPayload,
  QuoteFailedPayload,
  QuoteRequestedPayload,
} from './events/document.events';
import { SyncActivityPayload, SyncProgressPayload, SyncRequestedPayload } from './events/sync.events';
import { JobAssignedPayload, JobStatusChangedPayload, JobSyncedPayload, JobSyncFailedPayload } from './events/job.events';
import {
  CreditAllocatedPayload,
  CreditUnallocatedPayload,
  InvoiceDeletedPayload,
  InvoicePaidPayload,
  InvoicePartiallyPaidPayload,
  InvoiceUnpaidPayload,
  InvoiceVoidedPayload,
  PaymentRecordedPayload,
  PaymentReversedPayload,
} from './events/payment.events';
import {
  XeroConnectionConnectedPayload,
  XeroConnectionDisconnectedPayload,
  XeroConnectionExpiredPayload,
  XeroWebhookReceivedPayload,
} from './events/xero.events';

/** Every topic Ledgerline consumes or produces. The event type equals its topic name. */
export const Topics = {
  ClientUpserted: 'client.upserted',
  ContactSyncRequested: 'contact.sync_requested',
  ContactSynced: 'contact.synced',
  ContactSyncFailed: 'contact.sync_failed',
  ContactChanged: 'contact.changed',
  InvoiceRequested: 'invoice.requested',
  InvoiceCreated: 'invoice.created',
  InvoiceFailed: 'invoice.failed',
  QuoteRequested: 'quote.requested',
  QuoteCreated: 'quote.created',
  QuoteFailed: 'quote.failed',
  QuoteAccepted: 'quote.accepted',
  QuoteDeclined: 'quote.declined',
  PurchaseOrderRequested: 'purchase_order.requested',
  PurchaseOrderCreated: 'purchase_order.created',
  PurchaseOrderFailed: 'purchase_order.failed',
  PurchaseOrderBilled: 'purchase_order.billed',
  DocumentCancelRequested: 'document.cancel_requested',
  DocumentCancelled: 'document.cancelled',
  DocumentCancelFailed: 'document.cancel_failed',
  JobAssigned: 'job.assigned',
  JobStatusChanged: 'job.status_changed',
  JobSynced: 'job.synced',
  JobSyncFailed: 'job.sync_failed',
  PaymentRecorded: 'payment.recorded',
  InvoicePaid: 'invoice.paid',
  InvoicePartiallyPaid: 'invoice.partially_paid',
  PaymentReversed: 'payment.reversed',
  InvoiceUnpaid: 'invoice.unpaid',
  CreditAllocated: 'credit.allocated',
  CreditUnallocated: 'credit.unallocated',
  InvoiceVoided: 'invoice.voided',
  InvoiceDeleted: 'invoice.deleted',
  XeroConnectionConnected: 'xero.connection.connected',
  XeroConnectionDisconnected: 'xero.connection.disconnected',
  XeroConnectionExpired: 'xero.connection.expired',
  XeroWebhookReceived: 'xero.webhook.received',
  SyncActivity: 'sync.activity',
  SyncRequested: 'sync.requested',
  SyncProgress: 'sync.progress',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

type PayloadClass = abstract new () => object;

interface EventDefinition {
  version: number;
  payload: PayloadClass;
  /** Who publishes it: an internal system (inbound) or Ledgerline (outbound). */
  direction: 'inbound' | 'outbound';
  description: string;
}

/** The one typed map of every event: topic, current version and payload class. */
export const EVENT_CATALOG = {
  [Topics.ClientUpserted]: { version: 1, payload: ClientUpsertedPayload, direction: 'inbound', description: 'A client was created or changed' },
  [Topics.ContactSyncRequested]: { version: 1, payload: ContactSyncRequestedPayload, direction: 'inbound', description: "Make sure a client's Xero contact exists" },
  [Topics.ContactSynced]: { version: 1, payload: ContactSyncedPayload, direction: 'outbound', description: 'A client is linked to its Xero contact' },
  [Topics.ContactSyncFailed]: { version: 1, payload: ContactSyncFailedPayload, direction: 'outbound', description: 'A client could not be synced, with Xero’s reasons' },
  [Topics.ContactChanged]: { version: 1, payload: ContactChangedPayload, direction: 'outbound', description: 'A contact was changed in Xero' },
  [Topics.InvoiceRequested]: { version: 1, payload: InvoiceRequestedPayload, direction: 'inbound', description: 'Raise a sales invoice' },
  [Topics.InvoiceCreated]: { version: 1, payload: InvoiceCreatedPayload, direction: 'outbound', description: 'The invoice exists in Xero (id, number, totals)' },
  [Topics.InvoiceFailed]: { version: 1, payload: InvoiceFailedPayload, direction: 'outbound', description: 'The invoice could not be created, with Xero’s messages' },
  [Topics.QuoteRequested]: { version: 1, payload: QuoteRequestedPayload, direction: 'inbound', description: 'Raise a quote' },
  [Topics.QuoteCreated]: { version: 1, payload: QuoteCreatedPayload, direction: 'outbound', description: 'The quote exists in Xero' },
  [Topics.QuoteFailed]: { version: 1, payload: QuoteFailedPayload, direction: 'outbound', description: 'The quote could not be created' },
  [Topics.QuoteAccepted]: { version: 1, payload: QuoteAcceptedPayload, direction: 'outbound', description: 'The customer accepted the quote in Xero' },
  [Topics.QuoteDeclined]: { version: 1, payload: QuoteDeclinedPayload, direction: 'outbound', description: 'The customer declined the quote in Xero' },
  [Topics.PurchaseOrderRequested]: { version: 1, payload: PurchaseOrderRequestedPayload, direction: 'inbound', description: 'Raise a purchase order to a supplier' },
  [Topics.PurchaseOrderCreated]: { version: 1, payload: PurchaseOrderCreatedPayload, direction: 'outbound', description: 'The purchase order exists in Xero' },
  [Topics.PurchaseOrderFailed]: { version: 1, payload: PurchaseOrderFailedPayload, direction: 'outbound', description: 'The purchase order could not be created' },
  [Topics.PurchaseOrderBilled]: { version: 1, payload: PurchaseOrderBilledPayload, direction: 'outbound', description: 'A bill was raised from the purchase order in Xero (BILLED)' },
  [Topics.DocumentCancelRequested]: { version: 1, payload: DocumentCancelRequestedPayload, direction: 'inbound', description: 'Delete or void a document' },
  [Topics.DocumentCancelled]: { version: 1, payload: DocumentCancelledPayload, direction: 'outbound', description: 'The document was deleted or voided in Xero, or withdrawn before it reached Xero (NOT_SENT)' },
  [Topics.DocumentCancelFailed]: { version: 1, payload: DocumentCancelFailedPayload, direction: 'outbound', description: 'The document could not be cancelled (e.g. paid)' },
  [Topics.JobAssigned]: { version: 1, payload: JobAssignedPayload, direction: 'inbound', description: 'A job was assigned; it becomes a Xero project' },
  [Topics.JobStatusChanged]: { version: 1, payload: JobStatusChangedPayload, direction: 'inbound', description: 'A job moved on (in progress, completed, cancelled)' },
  [Topics.JobSynced]: { version: 1, payload: JobSyncedPayload, direction: 'outbound', description: 'The job’s Xero project is in step (its assignee’s projects user, or the assignee left unmapped)' },
  [Topics.JobSyncFailed]: { version: 1, payload: JobSyncFailedPayload, direction: 'outbound', description: 'The job could not be synced' },
  [Topics.PaymentRecorded]: { version: 1, payload: PaymentRecordedPayload, direction: 'outbound', description: 'A payment against an invoice was seen in Xero' },
  [Topics.InvoicePaid]: { version: 1, payload: InvoicePaidPayload, direction: 'outbound', description: 'An invoice is paid in full' },
  [Topics.InvoicePartiallyPaid]: { version: 1, payload: InvoicePartiallyPaidPayload, direction: 'outbound', description: 'An invoice is part-paid' },
  [Topics.PaymentReversed]: { version: 1, payload: PaymentReversedPayload, direction: 'outbound', description: 'A payment was deleted in Xero' },
  [Topics.InvoiceUnpaid]: { version: 1, payload: InvoiceUnpaidPayload, direction: 'outbound', description: 'Nothing is settled on an invoice any more (a payment or credit was taken off)' },
  [Topics.CreditAllocated]: { version: 1, payload: CreditAllocatedPayload, direction: 'outbound', description: 'A credit note, prepayment or overpayment was allocated to an invoice in Xero' },
  [Topics.CreditUnallocated]: { version: 1, payload: CreditUnallocatedPayload, direction: 'outbound', description: 'An allocation of credit to an invoice was removed in Xero' },
  [Topics.InvoiceVoided]: { version: 1, payload: InvoiceVoidedPayload, direction: 'outbound', description: 'An invoice Ledgerline raised was voided in Xero' },
  [Topics.InvoiceDeleted]: { version: 1, payload: InvoiceDeletedPayload, direction: 'outbound', description: 'An invoice Ledgerline raised was deleted in Xero' },
  [Topics.XeroConnectionConnected]: { version: 1, payload: XeroConnectionConnectedPayload, direction: 'outbound', description: 'A company connected its Xero organisation' },
  [Topics.XeroConnectionDisconnected]: { version: 1, payload: XeroConnectionDisconnectedPayload, direction: 'outbound', description: 'A company disconnected Xero' },
  [Topics.XeroConnectionExpired]: { version: 1, payload: XeroConnectionExpiredPayload, direction: 'outbound', description: 'A connection can no longer be refreshed; reconnect' },
  [Topics.XeroWebhookReceived]: { version: 1, payload: XeroWebhookReceivedPayload, direction: 'outbound', description: 'A verified Xero webhook event, per company' },
  [Topics.SyncActivity]: { version: 1, payload: SyncActivityPayload, direction: 'outbound', description: 'One attempt at Xero by the operations engine, with its outcome per record' },
  [Topics.SyncRequested]: { version: 1, payload: SyncRequestedPayload, direction: 'inbound', description: 'Read a company’s contacts, payments or quotes from Xero again now (the console’s manual sync)' },
  [Topics.SyncProgress]: { version: 1, payload: SyncProgressPayload, direction: 'outbound', description: 'How far a manual sync has got: pages read, records changed, errors, done' },
} as const satisfies Record<Topic, EventDefinition>;

export type EventCatalog = typeof EVENT_CATALOG;
export type PayloadOf<T extends Topic> = InstanceType<EventCatalog[T]['payload']>;

/** The dead-letter topic of a topic. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;
