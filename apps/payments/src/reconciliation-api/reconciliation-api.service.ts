import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReconciliationRecords } from '../reconciliation/reconciliation.repository';
import { ListPaymentsQuery } from './reconciliation-api.dto';
import { ReconciliationException } from './reconciliation-api.exception';

export interface InvoiceReconciliationView {
  xeroInvoiceId: string;
  requestId: string | null;
  standing: string;
  balance: { total: string; amountPaid: string; amountCredited: string; amountDue: string; currencyCode: string };
  updatedAt: string;
  history: { decision: string; source: string; decidedAt: string; eventId: string | null; detail: unknown; observed: unknown }[];
}

export interface PaymentView {
  xeroPaymentId: string;
  xeroInvoiceId: string;
  amount: string;
  currencyCode: string;
  date: string;
  reference: string | null;
  status: string;
  recordedAt: string;
  reversedAt: string | null;
}

export interface PaymentPage {
  items: PaymentView[];
  page: number;
  pageSize: number;
  total: number;
}

/** What the reconciliation API serves; every read is scoped to the caller's company. */
@Injectable()
export class ReconciliationApi {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: ReconciliationRecords,
  ) {}

  async invoice(companyId: string, xeroInvoiceId: string): Promise<InvoiceReconciliationView> {
    const db = this.dataSource.manager;
    const invoice = /^[0-9a-f-]{36}$/i.test(xeroInvoiceId) ? await this.records.find(db, companyId, xeroInvoiceId) : undefined;
    if (!invoice) throw ReconciliationException.invoiceNotFound();
    const history = await this.records.history(db, companyId, invoice.xeroInvoiceId);
    return {
      xeroInvoiceId: invoice.xeroInvoiceId,
      requestId: invoice.requestId,
      standing: invoice.standing,
      balance: invoice.balance,
      updatedAt: invoice.updatedAt.toISOString(),
      history: history.map((h) => ({ decision: h.decision, source: h.source, decidedAt: h.decided_at.toISOString(), eventId: h.event_id, detail: h.detail, observed: h.observed })),
    };
  }

  async payments(companyId: string, query: ListPaymentsQuery): Promise<PaymentPage> {
    const { rows, total } = await this.records.payments(this.dataSource.manager, companyId, {
      from: query.from,
      to: query.to,
      xeroInvoiceId: query.invoiceId,
      page: query.page,
      pageSize: query.pageSize,
    });
    return {
      items: rows.map((r) => ({
        xeroPaymentId: String(r['xero_payment_id']),
        xeroInvoiceId: String(r['xero_invoice_id']),
        amount: String(r['amount']),
        currencyCode: String(r['currency_code']),
        date: String(r['payment_date']),
        reference: (r['reference'] as string | null) ?? null,
        status: String(r['status']),
        recordedAt: (r['recorded_at'] as Date).toISOString(),
        reversedAt: r['reversed_at'] ? (r['reversed_at'] as Date).toISOString() : null,
      })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }
}
