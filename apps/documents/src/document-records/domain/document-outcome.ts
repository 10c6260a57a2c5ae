import type { Failure } from '@ledgerline/contracts';
import Decimal from 'decimal.js';
import type { XeroLineItemDraft } from './document-lines';

/** What Ledgerline records of a document Xero has (amountDue only for invoices). */
export interface CreatedDocument {
  xeroId: string;
  number: string;
  status: string;
  subTotal: string;
  totalTax: string;
  total: string;
  amountDue?: string;
  currencyCode: string;
}

/** The fields every Xero document has that Ledgerline records or compares (xero-node's models have them all). */
export interface XeroDocumentRecord {
  status?: unknown;
  subTotal?: number;
  totalTax?: number;
  total?: number;
  currencyCode?: unknown;
  reference?: string;
  /** xero-node hands the date back as a Date, a YYYY-MM-DD string or Xero's `/Date(ms)/`. */
  date?: unknown;
  contact?: { contactID?: string };
  lineItems?: { description?: string; quantity?: number; unitAmount?: number }[];
}

/** The parts of a draft a found document must share to be the one it made. */
export interface DocumentDraftShape {
  contact: { contactID: string };
  reference?: string;
  date: string;
  lineItems: XeroLineItemDraft[];
}

export type DocumentAnswer<R = CreatedDocument> = { ok: true; result: R } | { ok: false; failure: Failure };

/** One element of a batch write, as the Xero client reports it. */
export type ElementResult<R> = { ok: true; record: R } | { ok: false; messages: string[] };

/** Xero's amounts arrive as JSON numbers; they are recorded and published as decimal strings, 2 places at least. */
export function decimalFromXero(value: number | undefined): string {
  const decimal = new Decimal(value ?? 0);
  return decimal.decimalPlaces() <= 2 ? decimal.toFixed(2) : decimal.toFixed();
}

/**
 * What a Xero document record means for its request, given its id and number fields (QuoteID/QuoteNumber,
 * PurchaseOrderID/PurchaseOrderNumber): incomplete when Xero left either out.
 */
export function createdDocument(
  record: XeroDocumentRecord,
  identity: { id: string | undefined; number: string | undefined; what: string },
  requestedCurrency: string,
): DocumentAnswer {
  if (!identity.id || !identity.number) {
    return { ok: false, failure: { code: 'XERO_INCOMPLETE_RESPONSE', messages: [`Xero accepted the ${identity.what} but returned no id or number`] } };
  }
  return {
    ok: true,
    result: {
      xeroId: identity.id,
      number: identity.number,
      status: String(record.status ?? ''),
      subTotal: decimalFromXero(record.subTotal),
      totalTax: decimalFromXero(record.totalTax),
      total: decimalFromXero(record.total),
      currencyCode: typeof record.currencyCode === 'string' && record.currencyCode !== '' ? record.currencyCode : requestedCurrency,
    },
  };
}

/** The calendar day (YYYY-MM-DD) of a date as xero-node returns it, or undefined when it is none of its shapes. */
export function dayOf(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  const msDate = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
  if (msDate) return new Date(Number(msDate[1])).toISOString().slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

const sameNumber = (a: number | undefined, b: number) => a !== undefined && new Decimal(a).equals(new Decimal(b));

/**
 * Whether a document found in Xero is the one a draft would have made: same contact, date, reference and the
 * same lines in order. Used to find what a send whose answer was lost made, before sending it again.
 */
export function documentMatchesDraft(record: XeroDocumentRecord, draft: DocumentDraftShape): boolean {
  if (record.contact?.contactID?.toLowerCase() !== draft.contact.contactID.toLowerCase()) return false;
  if ((record.reference ?? '') !== (draft.reference ?? '')) return false;
  if (record.date !== undefined && dayOf(record.date) !== draft.date) return false;
  const lines = record.lineItems ?? [];
  if (lines.length !== draft.lineItems.length) return false;
  return draft.lineItems.every(
    (line, i) => lines[i].description === line.description && sameNumber(lines[i].quantity, line.quantity) && sameNumber(lines[i].unitAmount, line.unitAmount),
  );
}
