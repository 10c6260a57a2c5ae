/**
 * Where a document request stands:
 * - `waiting_contact`: the client has no Xero contact yet; contact.sync_requested is out.
 * - `waiting_connection`: the company has no usable Xero connection; the request is kept and goes on when it connects.
 * - `pending`: ready for Xero: an operation is recorded and the operations engine is sending it (possibly resending it
 *   after a transient failure).
 * - `created`: Xero has it (id, number, totals recorded; the created event is out).
 * - `failed`: Xero or a contact sync refused it, or it was invalid; the failed event is out. A retry reopens it.
 * - `cancelled`: withdrawn by document.cancel_requested: deleted or voided in Xero (xero_status says which), or
 *   stopped before it reached Xero. The record is kept; document.cancelled is out.
 *
 * This is the one state machine: every change of a document's status goes through `transitionSql`, so the SQL
 * guards exactly the transitions listed here.
 */
export const DOCUMENT_STATUSES = ['waiting_contact', 'waiting_connection', 'pending', 'created', 'failed', 'cancelled'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const isDocumentStatus = (value: unknown): value is DocumentStatus => typeof value === 'string' && (DOCUMENT_STATUSES as readonly string[]).includes(value);

/** What may follow what. `cancelled` is final; `created` only moves to it; `failed` is final until retried or cancelled. */
const TRANSITIONS: Record<DocumentStatus, readonly DocumentStatus[]> = {
  waiting_contact: ['pending', 'failed', 'waiting_connection', 'cancelled'],
  waiting_connection: ['pending', 'waiting_contact', 'failed', 'cancelled'],
  pending: ['created', 'failed', 'waiting_contact', 'waiting_connection', 'cancelled'],
  created: ['cancelled'],
  failed: ['pending', 'waiting_contact', 'cancelled'],
  cancelled: [],
};

export const canTransition = (from: DocumentStatus, to: DocumentStatus): boolean => TRANSITIONS[from].includes(to);

/** Every status a document may move to `to` from: what the SQL of that transition must find the row in. */
export const statusesBefore = (to: DocumentStatus): DocumentStatus[] => DOCUMENT_STATUSES.filter((from) => canTransition(from, to));

/** The status a new (or retried) request starts in: it waits only when its client has no Xero contact yet. */
export const initialStatus = (contactKnown: boolean): 'pending' | 'waiting_contact' => (contactKnown ? 'pending' : 'waiting_contact');

/** Only a failed document can be retried; anything else is either still on its way or already in Xero. */
export const canRetry = (status: DocumentStatus): boolean => status === 'failed';
