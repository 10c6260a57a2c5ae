import { parseEvent, createEvent, Topic } from '@ledgerline/contracts';
import { announcementOf } from './announcement';
import { ReconciliationDecision } from './reconcile-invoice';

const INVOICE = '0f4f7c1e-2b7e-4a59-9a3c-6a0a4d1f9e01';
const PAYMENT = '11111111-1111-4111-8111-111111111111';
const balance = { total: '115.00', amountPaid: '40.00', amountCredited: '15.00', amountDue: '60.00', currencyCode: 'NZD' };

/** Every decision's event passes its own contract, as a consumer would read it. */
function valid(decision: ReconciliationDecision): { topic: Topic; payload: Record<string, unknown> } {
  const { topic, payload } = announcementOf(decision);
  const parsed = parseEvent(topic, JSON.stringify(createEvent(topic, 'acme', payload as never)));
  if (!parsed.ok) throw new Error(parsed.reason);
  return { topic, payload: payload as unknown as Record<string, unknown> };
}

describe('announcing reconciliation decisions', () => {
  it('announces a payment with what Xero said of it', () => {
    expect(valid({ kind: 'payment.recorded', xeroPaymentId: PAYMENT, xeroInvoiceId: INVOICE, requestId: 'req-1', amount: '40.00', currencyCode: 'NZD', date: '2026-11-20' })).toEqual({
      topic: 'payment.recorded',
      payload: { xeroPaymentId: PAYMENT, xeroInvoiceId: INVOICE, requestId: 'req-1', amount: '40.00', currencyCode: 'NZD', date: '2026-11-20' },
    });
    expect(valid({ kind: 'payment.reversed', xeroPaymentId: PAYMENT, xeroInvoiceId: INVOICE, amount: '40.00' }).topic).toBe('payment.reversed');
  });

  it.each([
    ['invoice.paid', 'invoice.paid'],
    ['invoice.partially_paid', 'invoice.partially_paid'],
    ['invoice.unpaid', 'invoice.unpaid'],
    ['invoice.voided', 'invoice.voided'],
    ['invoice.deleted', 'invoice.deleted'],
  ] as const)('announces %s with the whole balance, credit included', (kind, topic) => {
    expect(valid({ kind, xeroInvoiceId: INVOICE, requestId: 'req-1', balance })).toEqual({
      topic,
      payload: { xeroInvoiceId: INVOICE, requestId: 'req-1', total: '115.00', amountPaid: '40.00', amountCredited: '15.00', amountDue: '60.00', currencyCode: 'NZD' },
    });
  });

  it('announces credit allocated and taken off with the credit and its applied total', () => {
    const credit = { creditKind: 'credit_note' as const, creditId: PAYMENT, xeroInvoiceId: INVOICE, amount: '15.00', appliedTotal: '15.00', currencyCode: 'NZD' };
    expect(valid({ kind: 'credit.allocated', ...credit, date: '2026-11-21' })).toEqual({ topic: 'credit.allocated', payload: { ...credit, date: '2026-11-21' } });
    expect(valid({ kind: 'credit.unallocated', ...credit, appliedTotal: '0.00' }).topic).toBe('credit.unallocated');
  });
});
