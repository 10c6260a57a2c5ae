import type { Failure } from '@ledgerline/contracts';
import { dayOf, decimalFromXero, documentMatchesDraft } from '../../document-records/domain/document-outcome';
import type { XeroInvoiceDraft } from './invoice-mapping';

export { dayOf, decimalFromXero };

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

/** Whether an invoice found in Xero is the one a draft would have made (see `documentMatchesDraft`). */
export const invoiceMatchesDraft = (record: XeroInvoiceRecord, draft: XeroInvoiceDraft): boolean => documentMatchesDraft(record, draft);
