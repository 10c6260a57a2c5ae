import { EventPublisher } from '@ledgerline/messaging';
import { EntityManager } from 'typeorm';
import { startLedger } from './domain/invoice-ledger';
import { XeroInvoiceView } from './domain/reconcile-invoice';
import { ReconciledInvoice, ReconciliationRecords } from './reconciliation.repository';
import { Reconciliation } from './reconciliation.service';

const INVOICE = '0f4f7c1e-2b7e-4a59-9a3c-6a0a4d1f9e01';
const PAYMENT = '11111111-1111-4111-8111-111111111111';
const tx = {} as EntityManager;

/** The service with its records in memory and its publisher capturing what would go to the outbox. */
function build() {
  const stored = new Map<string, ReconciledInvoice>();
  const published: { topic: string; companyId: string; payload: unknown; origin: unknown }[] = [];
  const history: { decision: { kind: string }; source: string }[] = [];
  const payments: string[] = [];
  const records = {
    lock: async (_tx: EntityManager, companyId: string, ids: string[]) => new Map(ids.filter((id) => stored.has(`${companyId}/${id}`)).map((id) => [id, structuredClone(stored.get(`${companyId}/${id}`)!)])),
    save: async (_tx: EntityManager, companyId: string, id: string, ledger: ReconciledInvoice['ledger'], balance: ReconciledInvoice['balance'], standing: ReconciledInvoice['standing']) => {
      stored.set(`${companyId}/${id}`, { ...stored.get(`${companyId}/${id}`)!, ledger, balance, standing });
    },
    recordHistory: async (_tx: EntityManager, entry: { decision: { kind: string }; source: string }) => void history.push(entry),
    paymentRecorded: async (_tx: EntityManager, _companyId: string, decision: { xeroPaymentId: string }) => void payments.push(decision.xeroPaymentId),
    paymentReversed: async () => undefined,
  } as unknown as ReconciliationRecords;
  const publisher = { publish: async (_tx: EntityManager, topic: string, companyId: string, payload: unknown, origin: unknown) => (published.push({ topic, companyId, payload, origin }), { id: `event-${published.length}` }) } as unknown as EventPublisher;
  const raise = (companyId: string) => {
    const ledger = startLedger({ companyId, xeroInvoiceId: INVOICE, requestId: 'req-1', total: '100.00', currencyCode: 'NZD' });
    stored.set(`${companyId}/${INVOICE}`, {
      companyId,
      xeroInvoiceId: INVOICE,
      requestId: 'req-1',
      correlationId: `corr-${companyId}`,
      ledger,
      balance: { total: '100.00', amountPaid: '0.00', amountCredited: '0.00', amountDue: '100.00', currencyCode: 'NZD' },
      standing: 'unpaid',
      raisedAt: new Date(),
      updatedAt: new Date(),
    });
  };
  return { service: new Reconciliation(records, publisher), stored, published, history, payments, raise };
}

const paidInPart: XeroInvoiceView = {
  invoiceId: INVOICE,
  status: 'AUTHORISED',
  total: 100,
  amountPaid: 40,
  amountCredited: 0,
  amountDue: 60,
  currencyCode: 'NZD',
  updatedAt: '2026-11-20T10:00:00.000Z',
  payments: [{ paymentId: PAYMENT, amount: 40, date: '2026-11-20' }],
  credits: [],
};

describe('applying a look at Xero', () => {
  it('announces, keeps and applies each decision once, with the invoice’s correlation and the webhook as cause', async () => {
    const { service, raise, published, history, payments, stored } = build();
    raise('acme');
    const context = { source: 'webhook' as const, operationId: 'op-1', causationId: 'webhook-event-1' };
    expect(await service.apply(tx, 'acme', [{ xeroInvoiceId: INVOICE, observation: { invoice: paidInPart } }], context)).toBe(2);
    expect(published.map((p) => p.topic)).toEqual(['payment.recorded', 'invoice.partially_paid']);
    expect(published[0].origin).toEqual({ correlationId: 'corr-acme', causationId: 'webhook-event-1' });
    expect(history.map((h) => [h.decision.kind, h.source])).toEqual([
      ['payment.recorded', 'webhook'],
      ['invoice.partially_paid', 'webhook'],
    ]);
    expect(payments).toEqual([PAYMENT]);
    expect(stored.get(`acme/${INVOICE}`)).toMatchObject({ standing: 'partially_paid', balance: { amountPaid: '40.00', amountDue: '60.00' } });

    expect(await service.apply(tx, 'acme', [{ xeroInvoiceId: INVOICE, observation: { invoice: paidInPart } }], { ...context, source: 'poll', causationId: null })).toBe(0);
    expect(published).toHaveLength(2);
  });

  it('skips invoices the company did not raise, even when another company raised them', async () => {
    const { service, raise, published } = build();
    raise('other-co');
    expect(await service.apply(tx, 'acme', [{ xeroInvoiceId: INVOICE, observation: { invoice: paidInPart } }], { source: 'poll', operationId: null, causationId: null })).toBe(0);
    expect(published).toEqual([]);
  });
});
