import type { Failure } from '@ledgerline/contracts';
import Decimal from 'decimal.js';
import type { XeroInvoiceDraft } from './invoice-mapping';

/** The fields of a Xero invoice that Ledgerline records or compares (xero-node's `Invoice` has them all). */
export interface XeroInvoiceRecord {
  invoiceID?: string;
  invoiceNumber?: string;
  status?: unknown;
  subTotal?: number;
  totalTax?: number;
  total?: number;
  amountDue?: number;
  currencyCode?: unknown;
  reference?: string;
  /** xero-node hands the date back as a Date, a YYYY-MM-DD string or Xero's `/Date(ms)/`. */
  date?: unknown;
  contact?: { contactID?: string };
  lineItems?: { description?: string; quantity?: number; unitAmount?: number }[];
}

/** What Ledgerline records of an invoice Xero has. */
export interface CreatedInvoice {
  xeroId: string;
  number: string;
  status: string;
  subTotal: string;
  totalTax: string;
  total: string;
  amountDue: string;
  currencyCode: string;
}

/** One element of a batch write, as the Xero client reports it. */
export type ElementResult<R> = { ok: true; record: R } | { ok: false; messages: string[] };

export type InvoiceAnswer = { ok: true; result: CreatedInvoice } | { ok: false; failure: Failure };

/** Xero's amounts arrive as JSON numbers; they are recorded and published as decimal strings, 2 places at least. */
export function decimalFromXero(value: number | undefined): string {
  const decimal = new Decimal(value ?? 0);
  return decimal.decimalPlaces() <= 2 ? decimal.toFixed(2) : decimal.toFixed();
}

/** What Xero's invoice record means for its request. */
export function createdInvoice(record: XeroInvoiceRecord, requestedCurrency: string): InvoiceAnswer {
  if (!record.invoiceID || !record.invoiceNumber) {
    return { ok: false, failure: { code: 'XERO_INCOMPLETE_RESPONSE', messages: ['Xero accepted the invoice but returned no InvoiceID or InvoiceNumber'] } };
  }
  return {
    ok: true,
    result: {
      xeroId: record.invoiceID,
      number: record.invoiceNumber,
      status: String(record.status ?? ''),
      subTotal: decimalFromXero(record.subTotal),
      totalTax: decimalFromXero(record.totalTax),
      total: decimalFromXero(record.total),
      amountDue: decimalFromXero(record.amountDue ?? record.total),
      currencyCode: typeof record.currencyCode === 'string' && record.currencyCode !== '' ? record.currencyCode : requestedCurrency,
    },
  };
}

/** What one element of an invoice batch means for its request. */
export function invoiceAnswer(result: ElementResult<XeroInvoiceRecord>, requestedCurrency: string): InvoiceAnswer {
  if (!result.ok) return { ok: false, failure: { code: 'XERO_VALIDATION', messages: result.messages } };
  return createdInvoice(result.record, requestedCurrency);
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
 * Whether an invoice found in Xero is the one a draft would have made: same contact, date, reference and the
 * same lines in order. Used to find what a send whose answer was lost made, before sending it again.
 */
export function invoiceMatchesDraft(record: XeroInvoiceRecord, draft: XeroInvoiceDraft): boolean {
  if (record.contact?.contactID?.toLowerCase() !== draft.contact.contactID.toLowerCase()) return false;
  if ((record.reference ?? '') !== (draft.reference ?? '')) return false;
  if (record.date !== undefined && dayOf(record.date) !== draft.date) return false;
  const lines = record.lineItems ?? [];
  if (lines.length !== draft.lineItems.length) return false;
  return draft.lineItems.every(
    (line, i) => lines[i].description === line.description && sameNumber(lines[i].quantity, line.quantity) && sameNumber(lines[i].unitAmount, line.unitAmount),
  );
}
