import { XeroClientException, XeroErrorCode } from '@ledgerline/xero-client';

/** The codes `contact.sync_failed` carries; strings, so they survive the event and the requester can branch on them. */
export enum ContactSyncFailureCode {
  /** `contact.sync_requested` named a client whose `client.upserted` did not arrive within the wait. */
  ClientUnknown = 'CLIENT_UNKNOWN',
  /** The company has no usable Xero connection (never connected, expired or revoked). */
  NotConnected = 'NOT_CONNECTED',
  /** Xero refused the contact; the messages are Xero's. */
  XeroValidation = 'XERO_VALIDATION',
  /** Several existing Xero contacts fit the client equally well. */
  ContactAmbiguous = 'CONTACT_AMBIGUOUS',
  /** Xero refused the organisation's credentials or a scope (401/403 after a fresh token). */
  XeroUnauthorised = 'XERO_UNAUTHORISED',
  XeroForbidden = 'XERO_FORBIDDEN',
  /** The linked contact no longer exists in Xero. */
  XeroNotFound = 'XERO_NOT_FOUND',
}

/** A sync that cannot succeed by trying again: answered with `contact.sync_failed`, never retried. */
export class ContactSyncException extends Error {
  readonly retriable = false;

  constructor(
    readonly code: ContactSyncFailureCode,
    readonly messages: string[],
  ) {
    super(messages.join('; ') || code);
    this.name = 'ContactSyncException';
  }
}

const XERO_FAILURE_CODES: Partial<Record<XeroErrorCode, ContactSyncFailureCode>> = {
  [XeroErrorCode.NotConnected]: ContactSyncFailureCode.NotConnected,
  [XeroErrorCode.Validation]: ContactSyncFailureCode.XeroValidation,
  [XeroErrorCode.Unauthorised]: ContactSyncFailureCode.XeroUnauthorised,
  [XeroErrorCode.Forbidden]: ContactSyncFailureCode.XeroForbidden,
  [XeroErrorCode.NotFound]: ContactSyncFailureCode.XeroNotFound,
};

export interface SyncFailure {
  code: ContactSyncFailureCode;
  messages: string[];
}

/**
 * The answer for an error that retrying cannot mend, or undefined for one that it might (rate limits, 5xx,
 * timeouts, the database): those propagate so the messaging layer retries and finally dead-letters the event.
 */
export function syncFailureOf(error: unknown): SyncFailure | undefined {
  if (error instanceof ContactSyncException) return { code: error.code, messages: error.messages };
  if (error instanceof XeroClientException && !error.retriable) {
    const code = XERO_FAILURE_CODES[error.code];
    if (code === undefined) return undefined;
    return { code, messages: error.messages.length > 0 ? error.messages : [error.message] };
  }
  return undefined;
}
