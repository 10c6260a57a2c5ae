import { Failure, FailureCode } from '@ledgerline/contracts';

/**
 * What the engine does with a whole call that threw:
 * - `retry`: resend later with the same key (rate limits, 5xx, timeouts, the network, anything unexpected);
 * - `park`: the company has no usable Xero connection; the operations wait until it connects;
 * - `fail`: resending cannot help (Xero refused the credentials or a scope); every member fails.
 */
export interface CallFailure {
  action: 'retry' | 'park' | 'fail';
  failure: Failure;
}

/** The Xero client's codes (XeroErrorCode) in the one failure catalogue. */
const FROM_XERO_CLIENT: Record<string, FailureCode> = {
  RATE_LIMITED: 'RATE_LIMITED',
  UNAUTHORISED: 'XERO_UNAUTHORISED',
  FORBIDDEN: 'XERO_FORBIDDEN',
  NOT_FOUND: 'XERO_NOT_FOUND',
  VALIDATION: 'XERO_VALIDATION',
  UPSTREAM: 'XERO_UNAVAILABLE',
  TIMEOUT: 'XERO_UNAVAILABLE',
  NETWORK: 'XERO_UNAVAILABLE',
  NOT_CONNECTED: 'NOT_CONNECTED',
};

/** Reads an error thrown by a kind's call (normally a XeroClientException) as a catalogue failure and an action. */
export function classifyCallFailure(error: unknown): CallFailure {
  const fields = typeof error === 'object' && error !== null ? (error as { code?: unknown; retriable?: unknown; messages?: unknown; message?: unknown }) : {};
  const message = typeof fields.message === 'string' && fields.message !== '' ? fields.message : String(error);
  const detail = Array.isArray(fields.messages) ? fields.messages.filter((m): m is string => typeof m === 'string') : [];
  const messages = detail.length > 0 ? detail : [message];
  const code: FailureCode = (typeof fields.code === 'string' && FROM_XERO_CLIENT[fields.code]) || 'UNEXPECTED';
  if (code === 'NOT_CONNECTED') return { action: 'park', failure: { code, messages } };
  return { action: fields.retriable === false ? 'fail' : 'retry', failure: { code, messages } };
}

/**
 * Whether an attempt that failed this way may still have reached Xero and made the record (so that a resend
 * past the idempotency window must look for it first). Only answers that prove Xero did not act are safe.
 */
export function mayHaveReachedXero(failure: Pick<Failure, 'code'>): boolean {
  return failure.code === 'XERO_UNAVAILABLE' || failure.code === 'UNEXPECTED';
}
