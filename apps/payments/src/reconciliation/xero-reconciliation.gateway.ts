import { XeroClientException, XeroClientService, XeroErrorCode } from '@ledgerline/xero-client';
import { Injectable } from '@nestjs/common';
import { Invoice, Payment } from 'xero-node';
import { PollResource } from './domain/poll-plan';
import { XeroInvoiceView, XeroPaymentView } from './domain/reconcile-invoice';
import { dayOf, instantOf } from './domain/xero-dates';

/** Xero's largest page: a poll of 10,000 changed invoices is ten calls. */
export const POLL_PAGE_SIZE = 1000;
const IDS_PER_CALL = 50;

/** One page of an incremental read, with every record of it mapped (the caller keeps what is ours). */
export interface XeroPage {
  invoices: XeroInvoiceView[];
  payments: XeroPaymentView[];
  count: number;
  newest?: string;
  hasMore: boolean;
}

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** An invoice as reconciliation reads it: its balance, its live payments, and each credit with its applied total. */
export function invoiceView(invoice: Invoice): XeroInvoiceView | undefined {
  const updatedAt = instantOf(invoice.updatedDateUTC as Date | string | undefined);
  if (!invoice.invoiceID || !updatedAt) return undefined;
  return {
    invoiceId: invoice.invoiceID.toLowerCase(),
    status: text(invoice.status),
    total: invoice.total ?? 0,
    amountPaid: invoice.amountPaid ?? 0,
    amountCredited: invoice.amountCredited ?? 0,
    amountDue: invoice.amountDue ?? 0,
    currencyCode: text(invoice.currencyCode),
    updatedAt,
    payments: (invoice.payments ?? [])
      .filter((p) => p.paymentID && text(p.status ?? 'AUTHORISED') !== 'DELETED')
      .map((p) => ({ paymentId: p.paymentID as string, amount: p.amount ?? 0, date: dayOf(p.date) ?? '', ...(p.reference ? { reference: p.reference } : {}) })),
    credits: [
      ...(invoice.creditNotes ?? []).filter((c) => c.creditNoteID).map((c) => ({ kind: 'credit_note' as const, creditId: c.creditNoteID as string, appliedAmount: c.appliedAmount ?? 0, date: dayOf(c.date) })),
      ...(invoice.prepayments ?? []).filter((c) => c.prepaymentID).map((c) => ({ kind: 'prepayment' as const, creditId: c.prepaymentID as string, appliedAmount: c.appliedAmount ?? 0, date: dayOf(c.date) })),
      ...(invoice.overpayments ?? []).filter((c) => c.overpaymentID).map((c) => ({ kind: 'overpayment' as const, creditId: c.overpaymentID as string, appliedAmount: c.appliedAmount ?? 0, date: dayOf(c.date) })),
    ].map(({ date, ...credit }) => (date ? { ...credit, date } : credit)),
  };
}

/** A payment as the Payments endpoint gives it (deleted ones included, with Status DELETED). */
export function paymentView(payment: Payment): XeroPaymentView | undefined {
  const invoiceId = payment.invoice?.invoiceID;
  if (!payment.paymentID || !invoiceId) return undefined;
  return {
    paymentId: payment.paymentID.toLowerCase(),
    invoiceId: invoiceId.toLowerCase(),
    status: text(payment.status ?? 'AUTHORISED'),
    amount: payment.amount ?? 0,
    date: dayOf(payment.date) ?? '',
    ...(payment.reference ? { reference: payment.reference } : {}),
  };
}

const newestOf = (records: { updatedDateUTC?: Date | string }[]): string | undefined =>
  records
    .map((r) => instantOf(r.updatedDateUTC))
    .filter((i): i is string => i !== undefined)
    .reduce<string | undefined>((max, i) => (!max || Date.parse(i) > Date.parse(max) ? i : max), undefined);

/** The reads reconciliation makes, through the shared Xero client (tokens, budget, retries, typed errors). */
@Injectable()
export class XeroReconciliationGateway {
  constructor(private readonly xero: XeroClientService) {}

  /** One page of what changed since `since`. */
  async changedPage(companyId: string, resource: PollResource, since: Date, page: number): Promise<XeroPage> {
    if (resource === 'Invoices') {
      const result = await this.xero.listInvoices(companyId, { ifModifiedSince: since, page, pageSize: POLL_PAGE_SIZE });
      return { invoices: result.items.map(invoiceView).filter((v): v is XeroInvoiceView => v !== undefined), payments: [], count: result.items.length, newest: newestOf(result.items), hasMore: result.hasMore };
    }
    const result = await this.xero.listPayments(companyId, { ifModifiedSince: since, page, pageSize: POLL_PAGE_SIZE });
    return { invoices: [], payments: result.items.map(paymentView).filter((v): v is XeroPaymentView => v !== undefined), count: result.items.length, newest: newestOf(result.items), hasMore: result.hasMore };
  }

  /** The named invoices as Xero shows them now (Invoices by IDs, paged so each carries its payments and credits). */
  async invoices(companyId: string, invoiceIds: string[]): Promise<XeroInvoiceView[]> {
    const found: XeroInvoiceView[] = [];
    // The IDs travel in the query string: a few dozen per call keeps the URL well under common limits.
    for (let i = 0; i < invoiceIds.length; i += IDS_PER_CALL) {
      const result = await this.xero.listInvoices(companyId, { ids: invoiceIds.slice(i, i + IDS_PER_CALL), page: 1, pageSize: POLL_PAGE_SIZE });
      found.push(...result.items.map(invoiceView).filter((v): v is XeroInvoiceView => v !== undefined));
    }
    return found;
  }

  /** One payment, or undefined when Xero has none with that id. */
  async payment(companyId: string, paymentId: string): Promise<XeroPaymentView | undefined> {
    try {
      return paymentView(await this.xero.getPayment(companyId, paymentId));
    } catch (error) {
      if (error instanceof XeroClientException && error.code === XeroErrorCode.NotFound) return undefined;
      throw error;
    }
  }
}
