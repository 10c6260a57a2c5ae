import { InvoiceLedger, startLedger } from './invoice-ledger';
import { InvoiceObservation, reconcileInvoice, ReconciliationDecision, XeroInvoiceView, XeroPaymentView } from './reconcile-invoice';

const INVOICE = '0f4f7c1e-2b7e-4a59-9a3c-6a0a4d1f9e01';
const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';
const CN = '33333333-3333-4333-8333-333333333333';

const ledger = (overrides: Partial<InvoiceLedger> = {}): InvoiceLedger => ({
  ...startLedger({ companyId: 'acme', xeroInvoiceId: INVOICE, requestId: 'req-1', total: '115.00', currencyCode: 'NZD' }),
  ...overrides,
});

let clock = Date.parse('2026-11-20T10:00:00Z');
/** The invoice as Xero shows it now; each call is a later UpdatedDateUTC unless one is given. */
const invoice = (overrides: Partial<XeroInvoiceView> = {}): XeroInvoiceView => ({
  invoiceId: INVOICE,
  status: 'AUTHORISED',
  total: 115,
  amountPaid: 0,
  amountCredited: 0,
  amountDue: 115,
  currencyCode: 'NZD',
  updatedAt: new Date((clock += 1_000)).toISOString(),
  payments: [],
  credits: [],
  ...overrides,
});
const payment = (paymentId: string, amount: number, overrides: Partial<XeroPaymentView> = {}): XeroPaymentView => ({ paymentId, invoiceId: INVOICE, status: 'AUTHORISED', amount, date: '2026-11-20', reference: 'Customer payment', ...overrides });
const livePayment = (paymentId: string, amount: number) => ({ paymentId, amount, date: '2026-11-20', reference: 'Customer payment' });

/** Runs observations in order from a ledger; returns every decision's kind and the final ledger. */
function run(start: InvoiceLedger, ...observations: InvoiceObservation[]): { kinds: string[]; decisions: ReconciliationDecision[]; ledger: InvoiceLedger } {
  let current = start;
  const decisions: ReconciliationDecision[] = [];
  for (const observation of observations) {
    const result = reconcileInvoice(current, observation);
    if (result.outcome !== 'reconciled') throw new Error(result.reason);
    decisions.push(...result.decisions);
    current = result.ledger;
  }
  return { kinds: decisions.map((d) => d.kind), decisions, ledger: current };
}

describe('reconciling an invoice', () => {
  it('ignores invoices Ledgerline did not raise', () => {
    expect(reconcileInvoice(undefined, { invoice: invoice() })).toEqual({ outcome: 'ignored', reason: 'not an invoice Ledgerline raised' });
  });

  it('announces nothing for an invoice nobody has paid yet', () => {
    expect(run(ledger(), { invoice: invoice() }).kinds).toEqual([]);
  });

  it('records a part payment once, then the balance, as decimal strings in the invoice’s currency', () => {
    const { decisions } = run(ledger(), { invoice: invoice({ amountPaid: 40.5, amountDue: 74.5, payments: [livePayment(P1, 40.5)] }) });
    expect(decisions).toEqual([
      { kind: 'payment.recorded', xeroPaymentId: P1, xeroInvoiceId: INVOICE, requestId: 'req-1', amount: '40.50', currencyCode: 'NZD', date: '2026-11-20', reference: 'Customer payment' },
      { kind: 'invoice.partially_paid', xeroInvoiceId: INVOICE, requestId: 'req-1', balance: { total: '115.00', amountPaid: '40.50', amountCredited: '0.00', amountDue: '74.50', currencyCode: 'NZD' } },
    ]);
  });

  it('records a second payment that settles it, then invoice.paid', () => {
    const part = { invoice: invoice({ amountPaid: 40.5, amountDue: 74.5, payments: [livePayment(P1, 40.5)] }) };
    const rest = { invoice: invoice({ status: 'PAID', amountPaid: 115, amountDue: 0, payments: [livePayment(P1, 40.5), livePayment(P2, 74.5)] }) };
    const { decisions, kinds } = run(ledger(), part, rest);
    expect(kinds).toEqual(['payment.recorded', 'invoice.partially_paid', 'payment.recorded', 'invoice.paid']);
    expect(decisions[2]).toMatchObject({ xeroPaymentId: P2, amount: '74.50' });
    expect(decisions[3]).toMatchObject({ balance: { amountPaid: '115.00', amountDue: '0.00' } });
  });

  it('records a payment once whether seen by webhook, by poll or by both, in any order', () => {
    const viaPoll = { payments: [payment(P1, 50)] };
    const viaWebhook = { invoice: invoice({ amountPaid: 50, amountDue: 65, payments: [livePayment(P1, 50)] }) };
    expect(run(ledger(), viaPoll, viaWebhook, viaPoll, viaWebhook).kinds).toEqual(['payment.recorded', 'invoice.partially_paid']);
    expect(run(ledger(), viaWebhook, viaPoll).kinds).toEqual(['payment.recorded', 'invoice.partially_paid']);
  });

  it('decides nothing the second time it sees the same thing', () => {
    const seen = { invoice: invoice({ amountPaid: 50, amountDue: 65, payments: [livePayment(P1, 50)] }), payments: [payment(P1, 50)] };
    const once = run(ledger(), seen);
    expect(run(once.ledger, seen).kinds).toEqual([]);
  });

  it('reverses a deleted payment, followed by the new balance', () => {
    const paid = { invoice: invoice({ status: 'PAID', amountPaid: 115, amountDue: 0, payments: [livePayment(P1, 115)] }) };
    const deletedByPoll = { payments: [payment(P1, 115, { status: 'DELETED' })], invoice: invoice({ amountPaid: 0, amountDue: 115 }) };
    const { decisions, kinds } = run(ledger(), paid, deletedByPoll);
    expect(kinds).toEqual(['payment.recorded', 'invoice.paid', 'payment.reversed', 'invoice.unpaid']);
    expect(decisions[2]).toEqual({ kind: 'payment.reversed', xeroPaymentId: P1, xeroInvoiceId: INVOICE, requestId: 'req-1', amount: '115.00' });
    expect(decisions[3]).toMatchObject({ balance: { amountPaid: '0.00', amountDue: '115.00' } });
  });

  it('sees a payment gone from a current invoice as deleted, and reverses it once', () => {
    const twoPayments = { invoice: invoice({ amountPaid: 100, amountDue: 15, payments: [livePayment(P1, 60), livePayment(P2, 40)] }) };
    const oneGone = { invoice: invoice({ amountPaid: 60, amountDue: 55, payments: [livePayment(P1, 60)] }) };
    const { kinds, decisions } = run(ledger(), twoPayments, oneGone, { payments: [payment(P2, 40, { status: 'DELETED' })] });
    expect(kinds).toEqual(['payment.recorded', 'payment.recorded', 'invoice.partially_paid', 'payment.reversed', 'invoice.partially_paid']);
    expect(decisions[3]).toMatchObject({ xeroPaymentId: P2, amount: '40.00' });
  });

  it('never records a payment only ever seen deleted, even if an older view of it arrives later', () => {
    const { kinds } = run(ledger(), { payments: [payment(P1, 30, { status: 'DELETED' })] }, { payments: [payment(P1, 30)] });
    expect(kinds).toEqual([]);
  });

  it('does not trust an invoice snapshot older than one already seen', () => {
    const older = invoice({ amountPaid: 50, amountDue: 65, payments: [livePayment(P1, 50)] });
    const newer = invoice({ amountPaid: 0, amountDue: 115, payments: [] });
    // The newer state (the payment deleted) arrives first; the older one must not bring the payment back.
    const { kinds } = run(ledger(), { invoice: newer }, { invoice: older });
    expect(kinds).toEqual([]);
  });

  it('announces a credit note allocated to the invoice, and the balance it leaves', () => {
    const credited = { invoice: invoice({ amountCredited: 15, amountDue: 100, credits: [{ kind: 'credit_note', creditId: CN, appliedAmount: 15, date: '2026-11-21' }] }) };
    const more = { invoice: invoice({ amountCredited: 23, amountDue: 92, credits: [{ kind: 'credit_note', creditId: CN, appliedAmount: 23 }] }) };
    const { decisions, kinds } = run(ledger(), credited, more, more);
    expect(kinds).toEqual(['credit.allocated', 'invoice.partially_paid', 'credit.allocated', 'invoice.partially_paid']);
    expect(decisions[0]).toEqual({ kind: 'credit.allocated', creditKind: 'credit_note', creditId: CN, xeroInvoiceId: INVOICE, requestId: 'req-1', amount: '15.00', appliedTotal: '15.00', currencyCode: 'NZD', date: '2026-11-21' });
    expect(decisions[2]).toMatchObject({ amount: '8.00', appliedTotal: '23.00' });
    expect(decisions[3]).toMatchObject({ balance: { amountCredited: '23.00', amountDue: '92.00' } });
  });

  it('counts prepayments and overpayments as credit, and a payment plus credit as paid', () => {
    const observed = {
      invoice: invoice({
        status: 'PAID',
        amountPaid: 60,
        amountCredited: 55,
        amountDue: 0,
        payments: [livePayment(P1, 60)],
        credits: [
          { kind: 'prepayment', creditId: CN, appliedAmount: 25 },
          { kind: 'overpayment', creditId: P2, appliedAmount: 30 },
        ],
      }),
    };
    expect(run(ledger(), observed).kinds).toEqual(['payment.recorded', 'credit.allocated', 'credit.allocated', 'invoice.paid']);
  });

  it('announces an allocation removed in Xero', () => {
    const credited = { invoice: invoice({ amountCredited: 15, amountDue: 100, credits: [{ kind: 'credit_note', creditId: CN, appliedAmount: 15 }] }) };
    const removed = { invoice: invoice({ amountCredited: 0, amountDue: 115, credits: [] }) };
    const { kinds, decisions } = run(ledger(), credited, removed);
    expect(kinds).toEqual(['credit.allocated', 'invoice.partially_paid', 'credit.unallocated', 'invoice.unpaid']);
    expect(decisions[2]).toMatchObject({ amount: '15.00', appliedTotal: '0.00' });
  });

  it.each([
    ['VOIDED', 'invoice.voided'],
    ['DELETED', 'invoice.deleted'],
  ])('announces an invoice %s in Xero once, and nothing after', (status, kind) => {
    const closed = { invoice: invoice({ status, amountDue: 0 }) };
    const { kinds, ledger: after } = run(ledger(), closed, closed, { invoice: invoice({ amountPaid: 5, payments: [livePayment(P1, 5)] }) });
    expect(kinds).toEqual([kind]);
    expect(after.closed).toBe(status);
  });

  it('writes amounts in the invoice’s currency', () => {
    const yen = ledger({ currencyCode: 'JPY', total: '12000' });
    const { decisions } = run(yen, { invoice: invoice({ currencyCode: 'JPY', total: 12000, amountPaid: 5000, amountDue: 7000, payments: [livePayment(P1, 5000)] }) });
    expect(decisions.map((d) => ('amount' in d ? d.amount : d.balance.amountDue))).toEqual(['5000', '7000']);
  });

  it('refuses an observation of another invoice rather than mixing them up', () => {
    expect(() => reconcileInvoice(ledger(), { invoice: invoice({ invoiceId: P1 }) })).toThrow(/given for ledger/);
    expect(() => reconcileInvoice(ledger(), { payments: [payment(P1, 5, { invoiceId: P2 })] })).toThrow(/belongs to invoice/);
  });
});
