/**
 * The one catalogue of failure codes. Every `failure.code` an outcome event carries, every operation attempt
 * recorded by the operations engine and every `sync.activity` event uses a code from here, whichever service
 * produced it, so a consumer branches on one set of strings.
 */
export const FAILURE_CATALOG = {
  XERO_VALIDATION: { retriable: false, description: 'Xero refused the record; the messages are Xero’s validation messages' },
  XERO_INCOMPLETE_RESPONSE: { retriable: false, description: 'Xero answered OK but left out what identifies the record' },
  XERO_UNAUTHORISED: { retriable: false, description: 'Xero refused the organisation’s credentials after a fresh token' },
  XERO_FORBIDDEN: { retriable: false, description: 'Xero refused the call for this organisation (a scope or a role is missing)' },
  XERO_NOT_FOUND: { retriable: false, description: 'The Xero record no longer exists' },
  XERO_UNAVAILABLE: { retriable: true, description: 'Xero failed or did not answer (5xx, timeout, network); the request is resent' },
  RATE_LIMITED: { retriable: true, description: 'Xero’s rate limit for the organisation was reached; the request is resent' },
  NOT_CONNECTED: { retriable: true, description: 'The company has no usable Xero connection; the request waits until it connects' },
  CLIENT_UNKNOWN: { retriable: false, description: 'The client was never received (client.upserted did not arrive in time)' },
  CONTACT_AMBIGUOUS: { retriable: false, description: 'Several Xero contacts fit the client equally well' },
  CONTACT_GDPR_RESTRICTED: { retriable: false, description: 'The Xero contact has a GDPR request; Ledgerline no longer writes to it' },
  CONTACT_SYNC_FAILED: { retriable: false, description: 'The client’s Xero contact could not be synced, so the document was not raised' },
  INVALID_REQUEST: { retriable: false, description: 'The request can never become a Xero record as it stands' },
  DOCUMENT_NOT_FOUND: { retriable: false, description: 'No document request of this type and request id was ever received for the company' },
  CANCEL_REFUSED: { retriable: false, description: 'Xero’s rules do not let the document be deleted or voided (paid, part-paid, billed or invoiced); the messages say why' },
  CANCELLED: { retriable: false, description: 'The request was withdrawn by a cancel before it reached Xero' },
  UNEXPECTED: { retriable: true, description: 'An unexpected error; the request is resent' },
} as const satisfies Record<string, { retriable: boolean; description: string }>;

export type FailureCode = keyof typeof FAILURE_CATALOG;

export const FAILURE_CODES = Object.keys(FAILURE_CATALOG) as FailureCode[];

export const isFailureCode = (value: unknown): value is FailureCode => typeof value === 'string' && Object.hasOwn(FAILURE_CATALOG, value);

export const isRetriableFailure = (code: FailureCode): boolean => FAILURE_CATALOG[code].retriable;

/** A failure as outcome events and operation records carry it. */
export interface Failure {
  code: FailureCode;
  messages: string[];
}
