import Decimal from 'decimal.js';

/** The fields of a created Xero invoice that Ledgerline records (xero-node's `Invoice` has them all). */
export interface XeroInvoiceRecord {
  invoiceID?: string;
  invoiceNumber?: string;
  status?: unknown;
  subTotal?: number;
  totalTax?: number;
  total?: number;
  amountDue?: number;
  currencyCode?: unknown;
}

/** One element of a batch write, as the Xero client reports it. */
export type ElementResult<R> = { ok: true; record: R } | { ok: false; messages: string[] };

export interface CreatedOutcome {
  kind: 'created';
  xeroId: string;
  number: string;
  status: string;
  subTotal: string;
  totalTax: string;
  total: string;
  amountDue: string;
  currencyCode: string;
}

export interface FailedOutcome {
  kind: 'failed';
  code: string;
  messages: string[];
}

export type DocumentOutcome = CreatedOutcome | FailedOutcome;

/** Codes a document failure carries (besides the Xero client's own codes for whole-call failures). */
export const FailureCode = {
  /** Xero refused this element, with its validation messages. */
  XeroValidation: 'XERO_VALIDATION',
  /** Xero said OK but left out what identifies the record. */
  XeroIncompleteResponse: 'XERO_INCOMPLETE_RESPONSE',
  /** The request can never become a Xero document as it stands. */
  InvalidRequest: 'INVALID_REQUEST',
  /** The client's contact could not be synced, so the document could not be raised. */
  ContactSyncFailed: 'CONTACT_SYNC_FAILED',
} as const;

/** Xero's amounts arrive as JSON numbers; they are recorded and published as decimal strings, 2 places at least. */
export function decimalFromXero(value: number | undefined): string {
  const decimal = new Decimal(value ?? 0);
  return decimal.decimalPlaces() <= 2 ? decimal.toFixed(2) : decimal.toFixed();
}

/** What one element of an invoice batch means for its document. */
export function invoiceOutcome(result: ElementResult<XeroInvoiceRecord>, requestedCurrency: string): DocumentOutcome {
  if (!result.ok) return { kind: 'failed', code: FailureCode.XeroValidation, messages: result.messages };
  const record = result.record;
  if (!record.invoiceID || !record.invoiceNumber) {
    return { kind: 'failed', code: FailureCode.XeroIncompleteResponse, messages: ['Xero accepted the invoice but returned no InvoiceID or InvoiceNumber'] };
  }
  return {
    kind: 'created',
    xeroId: record.invoiceID,
    number: record.invoiceNumber,
    status: String(record.status ?? ''),
    subTotal: decimalFromXero(record.subTotal),
    totalTax: decimalFromXero(record.totalTax),
    total: decimalFromXero(record.total),
    amountDue: decimalFromXero(record.amountDue ?? record.total),
    currencyCode: typeof record.currencyCode === 'string' && record.currencyCode !== '' ? record.currencyCode : requestedCurrency,
  };
}

/** How a whole Xero call that threw is handled: every member fails with the reason, or the batch is resent later. */
export type CallFailure = { kind: 'fail' | 'retry'; code: string; messages: string[] };

/**
 * Errors that say `retriable: false` (not connected, unauthorised, forbidden…) fail every member: resending
 * cannot help. Everything else (rate limits, 5xx, timeouts, network, an unexpected error) is transient: the
 * batch keeps its members and key and is resent later.
 */
export function classifyCallFailure(error: unknown): CallFailure {
  const fields = typeof error === 'object' && error !== null ? (error as { code?: unknown; retriable?: unknown; messages?: unknown; message?: unknown }) : {};
  const code = typeof fields.code === 'string' && fields.code !== '' ? fields.code : 'UNEXPECTED';
  const message = typeof fields.message === 'string' && fields.message !== '' ? fields.message : String(error);
  const detail = Array.isArray(fields.messages) ? fields.messages.filter((m): m is string => typeof m === 'string') : [];
  const messages = detail.length > 0 ? detail : [message];
  return { kind: fields.retriable === false ? 'fail' : 'retry', code, messages };
}
