import { seenOnPage } from './reconciliation-pull.kind';

const INVOICE = '0f4f7c1e-2b7e-4a59-9a3c-6a0a4d1f9e01';
const OTHER = '0f4f7c1e-2b7e-4a59-9a3c-6a0a4d1f9e02';
const view = (invoiceId: string) => ({ invoiceId, status: 'AUTHORISED', total: 10, amountPaid: 0, amountCredited: 0, amountDue: 10, currencyCode: 'NZD', updatedAt: '2026-11-20T10:00:00.000Z', payments: [], credits: [] });
const payment = (paymentId: string, invoiceId: string) => ({ paymentId, invoiceId, status: 'DELETED', amount: 5, date: '2026-11-20' });

describe('a poll page', () => {
  it('is decided once per invoice, with the invoice and its own payments together', () => {
    expect(seenOnPage({ invoices: [view(INVOICE)], payments: [payment('p1', INVOICE), payment('p2', OTHER), payment('p3', INVOICE)] })).toEqual([
      { xeroInvoiceId: INVOICE, observation: { invoice: view(INVOICE), payments: [payment('p1', INVOICE), payment('p3', INVOICE)] } },
      { xeroInvoiceId: OTHER, observation: { payments: [payment('p2', OTHER)] } },
    ]);
  });
});
