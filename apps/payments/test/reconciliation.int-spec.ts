import { createEvent, deadLetterTopic, SyncProgressPayload, Topics } from '@ledgerline/contracts';
import { DLQ_HEADERS } from '@ledgerline/messaging';
import { eventually, KafkaProbe, SandboxOrganisation, uniqueId } from '@ledgerline/testing';
import { randomUUID } from 'node:crypto';
import { ReconciliationHarness } from './support/reconciliation-harness';

jest.setTimeout(120_000);

const h = new ReconciliationHarness();

beforeAll(async () => {
  // Webhooks drive these tests: the poll's timer is far off (a connect still polls once, from the first invoice).
  await h.start({ PAYMENTS_POLL_INTERVAL_MS: '600000' });
});

afterAll(() => h.stop());

async function connectedCompany(label: string, org?: SandboxOrganisation): Promise<{ companyId: string; org: SandboxOrganisation; contactId: string }> {
  const organisation = org ?? (await SandboxOrganisation.create(h.sandbox.url, `${label} Ltd`));
  const companyId = uniqueId(`${label}-`);
  await h.connect(companyId, organisation);
  return { companyId, org: organisation, contactId: await organisation.createContact(`Customer of ${companyId}`) };
}

describe('payment reconciliation by webhook', () => {
  it('announces a part payment, a second payment to PAID, a deleted payment and an allocated credit note, each once', async () => {
    const { companyId, org, contactId } = await connectedCompany('webhooks');
    const { invoiceId, requestId } = await h.raise(companyId, org, contactId, 200);

    const first = await h.pay(org, invoiceId, 50);
    expect(await h.settled(companyId, invoiceId, { [Topics.PaymentRecorded]: 1, [Topics.InvoicePartiallyPaid]: 1 })).toEqual({ 'payment.recorded': 1, 'invoice.partially_paid': 1 });
    const [recorded] = h.announced(companyId, invoiceId).filter((e) => e.type === Topics.PaymentRecorded);
    expect(recorded.payload).toEqual({ xeroPaymentId: first.toLowerCase(), xeroInvoiceId: invoiceId.toLowerCase(), requestId, amount: '50.00', currencyCode: 'NZD', date: '2026-11-25', reference: 'Customer payment' });
    expect(recorded.causationId).not.toBeNull();

    const second = await h.pay(org, invoiceId, 150);
    expect(await h.settled(companyId, invoiceId, { [Topics.PaymentRecorded]: 2, [Topics.InvoicePaid]: 1 })).toEqual({ 'payment.recorded': 2, 'invoice.partially_paid': 1, 'invoice.paid': 1 });
    const [paid] = h.announced(companyId, invoiceId).filter((e) => e.type === Topics.InvoicePaid);
    expect(paid.payload).toEqual({ xeroInvoiceId: invoiceId.toLowerCase(), requestId, total: '200.00', amountPaid: '200.00', amountCredited: '0.00', amountDue: '0.00', currencyCode: 'NZD' });

    await h.deletePayment(org, second);
    expect(await h.settled(companyId, invoiceId, { [Topics.PaymentReversed]: 1, [Topics.InvoicePartiallyPaid]: 2 })).toEqual({
      'payment.recorded': 2,
      'invoice.partially_paid': 2,
      'invoice.paid': 1,
      'payment.reversed': 1,
    });
    const [reversed] = h.announced(companyId, invoiceId).filter((e) => e.type === Topics.PaymentReversed);
    expect(reversed.payload).toMatchObject({ xeroPaymentId: second.toLowerCase(), amount: '150.00' });

    const creditId = await h.creditNote(org, contactId, invoiceId, 30);
    const after = await h.settled(companyId, invoiceId, { [Topics.CreditAllocated]: 1, [Topics.InvoicePartiallyPaid]: 3 });
    expect(after).toEqual({ 'payment.recorded': 2, 'invoice.partially_paid': 3, 'invoice.paid': 1, 'payment.reversed': 1, 'credit.allocated': 1 });
    const [credit] = h.announced(companyId, invoiceId).filter((e) => e.type === Topics.CreditAllocated);
    expect(credit.payload).toMatchObject({ creditKind: 'credit_note', creditId: creditId.toLowerCase(), amount: '30.00', appliedTotal: '30.00' });
    const balances = h.announced(companyId, invoiceId).filter((e) => e.type === Topics.InvoicePartiallyPaid).map((e) => e.payload['amountDue']);
    expect(balances.sort()).toEqual(['120.00', '150.00', '150.00'].sort());
    expect(balances).toContain('120.00');

    // The balance and the history, through the API.
    const view = await h.api<{ standing: string; balance: Record<string, string>; history: { decision: string; source: string; observed: unknown }[] }>(companyId, `/v1/payments/invoices/${invoiceId}`);
    expect(view.status).toBe(200);
    expect(view.body.standing).toBe('partially_paid');
    expect(view.body.balance).toEqual({ total: '200.00', amountPaid: '50.00', amountCredited: '30.00', amountDue: '120.00', currencyCode: 'NZD' });
    expect(view.body.history.map((e) => e.decision)).toEqual([
      'payment.recorded',
      'invoice.partially_paid',
      'payment.recorded',
      'invoice.paid',
      'payment.reversed',
      'invoice.partially_paid',
      'credit.allocated',
      'invoice.partially_paid',
    ]);
    expect(view.body.history.every((e) => e.observed !== null)).toBe(true);
    const payments = await h.api<{ items: { xeroPaymentId: string; status: string; amount: string }[]; total: number }>(companyId, `/v1/payments?invoiceId=${invoiceId}&from=2026-11-01&to=2026-11-30`);
    expect(payments.body.total).toBe(2);
    expect(payments.body.items.map((p) => [p.xeroPaymentId, p.status, p.amount]).sort()).toEqual(
      [
        [first.toLowerCase(), 'recorded', '50.0000'],
        [second.toLowerCase(), 'reversed', '150.0000'],
      ].sort(),
    );
    expect((await h.api(companyId, `/v1/payments?from=2026-12-01`)).body).toMatchObject({ total: 0, items: [] });
    expect((await h.api(uniqueId('other-'), `/v1/payments/invoices/${invoiceId}`)).status).toBe(404);
  });

  it('changes nothing when the same webhook comes twice', async () => {
    const { companyId, org, contactId } = await connectedCompany('twice');
    const { invoiceId } = await h.raise(companyId, org, contactId, 80);
    await h.pay(org, invoiceId, 30);
    const once = await h.settled(companyId, invoiceId, { [Topics.PaymentRecorded]: 1, [Topics.InvoicePartiallyPaid]: 1 });
    // The same event again (as Xero resends it, past the receiver's own dedup): two more looks, no new decision.
    const event = { tenantId: org.tenantId, eventCategory: 'INVOICE' as const, eventType: 'UPDATE' as const, resourceId: invoiceId, eventDateUtc: new Date().toISOString() };
    await h.publish(Topics.XeroWebhookReceived, companyId, event);
    await h.publish(Topics.XeroWebhookReceived, companyId, event);
    await eventually('both looks done', async () => {
      const [row] = await h.rows<{ n: number }>(
        `SELECT count(*)::int AS n FROM payments.xero_operations WHERE company_id = $1 AND kind = 'reconciliation.look' AND status = 'succeeded' AND target = $2`,
        [companyId, `invoice:${invoiceId.toLowerCase()}`],
      );
      return row.n >= 3;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(h.counts(companyId, invoiceId)).toEqual(once);
    const [history] = await h.rows<{ n: number }>(`SELECT count(*)::int AS n FROM payments.reconciliation_history WHERE company_id = $1`, [companyId]);
    expect(history.n).toBe(2);
  });

  it('lets two companies sharing an organisation each see their own payments', async () => {
    const a = await connectedCompany('share-a');
    const b = await connectedCompany('share-b', a.org);
    const invoiceA = await h.raise(a.companyId, a.org, a.contactId, 40);
    const invoiceB = await h.raise(b.companyId, a.org, a.contactId, 60);
    await h.pay(a.org, invoiceA.invoiceId, 40);
    await h.pay(a.org, invoiceB.invoiceId, 60);
    expect(await h.settled(a.companyId, invoiceA.invoiceId, { [Topics.PaymentRecorded]: 1, [Topics.InvoicePaid]: 1 })).toEqual({ 'payment.recorded': 1, 'invoice.paid': 1 });
    expect(await h.settled(b.companyId, invoiceB.invoiceId, { [Topics.PaymentRecorded]: 1, [Topics.InvoicePaid]: 1 }, 500)).toEqual({ 'payment.recorded': 1, 'invoice.paid': 1 });
    // Neither hears of the other's invoice.
    expect(h.announced(a.companyId, invoiceB.invoiceId)).toEqual([]);
    expect(h.announced(b.companyId, invoiceA.invoiceId)).toEqual([]);
    expect((await h.api<{ total: number }>(b.companyId, '/v1/payments')).body.total).toBe(1);
  });

  it('announces an invoice a Xero user voided, once', async () => {
    const { companyId, org, contactId } = await connectedCompany('voided');
    const { invoiceId, requestId } = await h.raise(companyId, org, contactId, 70);
    const { accessToken } = await org.token();
    const voided = await fetch(`${h.sandbox.url}/api.xro/2.0/Invoices/${invoiceId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}`, 'xero-tenant-id': org.tenantId },
      body: JSON.stringify({ Invoices: [{ InvoiceID: invoiceId, Status: 'VOIDED' }] }),
    });
    expect(voided.status).toBe(200);
    expect(await h.settled(companyId, invoiceId, { [Topics.InvoiceVoided]: 1 })).toEqual({ 'invoice.voided': 1 });
    const [event] = h.announced(companyId, invoiceId);
    expect(event.payload).toMatchObject({ xeroInvoiceId: invoiceId.toLowerCase(), requestId, total: '70.00', amountPaid: '0.00' });
    expect((await h.api<{ standing: string }>(companyId, `/v1/payments/invoices/${invoiceId}`)).body.standing).toBe('voided');
  });
});

describe('manual sync (sync.requested for payments)', () => {
  let syncs: KafkaProbe;

  beforeAll(async () => {
    syncs = new KafkaProbe(h.brokers);
    await syncs.watch([h.topic(Topics.SyncProgress), deadLetterTopic(h.topic(Topics.SyncRequested))]);
  });

  afterAll(() => syncs.close());

  const progress = (syncId: string) =>
    syncs
      .on(h.topic(Topics.SyncProgress))
      .map((m) => m.json<{ companyId: string; causationId: string; payload: SyncProgressPayload }>())
      .filter((e) => e.payload.syncId === syncId);

  const request = (companyId: string, scope: 'payments' | 'quotes') => createEvent(Topics.SyncRequested, companyId, { syncId: randomUUID(), scope });

  it('reads what changed since the checkpoint now, announcing each page and then done, once; other scopes are left alone', async () => {
    const { companyId, org, contactId } = await connectedCompany('manual');
    // No webhook and no timer: only the manual sync can find the payment. Webhooks go off before the invoice is
    // raised, and the payment waits until nothing is left to do, so no look started earlier finds it first.
    await h.webhooks(false);
    const { invoiceId } = await h.raise(companyId, org, contactId, 60);
    await eventually(
      'no reconciliation work left',
      async () => (await h.rows(`SELECT 1 FROM payments.xero_operations WHERE company_id = $1 AND status IN ('pending', 'waiting_connection')`, [companyId])).length === 0,
    );
    await h.pay(org, invoiceId, 20);
    const quotes = request(companyId, 'quotes');
    const sync = request(companyId, 'payments');
    // The same request twice, as a redelivery brings it: one run.
    await h.probe.send(
      h.topic(Topics.SyncRequested),
      [quotes, sync, sync].map((event) => ({ key: companyId, value: JSON.stringify(event) })),
    );

    await eventually('the sync done', () => progress(sync.payload.syncId).find((e) => e.payload.state === 'done'));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const changed = h.counts(companyId, invoiceId);
    expect(changed).toEqual({ 'payment.recorded': 1, 'invoice.partially_paid': 1 });
    const events = progress(sync.payload.syncId);
    expect(events.map((e) => [e.payload.state, e.payload.pagesRead, e.payload.recordsChanged, e.payload.errors])).toEqual([
      ['running', 1, 2, 0],
      ['done', 1, 2, 0],
    ]);
    expect(events.every((e) => e.companyId === companyId && e.causationId === sync.id && e.payload.scope === 'payments')).toBe(true);
    expect(progress(quotes.payload.syncId)).toEqual([]);
    const pulls = await h.rows<{ body: { sync?: { syncId: string } } }>(`SELECT body FROM payments.xero_operations WHERE company_id = $1 AND kind = 'reconciliation.pull' AND status = 'succeeded'`, [companyId]);
    expect(pulls.filter((p) => p.body.sync?.syncId === sync.payload.syncId)).toHaveLength(1);
    await h.webhooks(true);
  });

  it('answers failed with NOT_CONNECTED for a company that is not connected, and dead-letters a malformed request', async () => {
    const companyId = uniqueId('unconnected-');
    const sync = request(companyId, 'payments');
    const malformed = { ...sync, id: randomUUID(), payload: { syncId: 'not-a-uuid', scope: 'payments' } };
    await h.probe.send(h.topic(Topics.SyncRequested), [sync, malformed].map((event) => ({ key: companyId, value: JSON.stringify(event) })));

    const [failed] = await eventually('the sync failed', () => {
      const found = progress(sync.payload.syncId);
      return found.length > 0 ? found : undefined;
    });
    expect(failed.payload).toMatchObject({ state: 'failed', pagesRead: 0, recordsChanged: 0, errors: 1, failure: { code: 'NOT_CONNECTED' } });
    const letter = await eventually('the malformed request dead-lettered', () =>
      syncs.on(deadLetterTopic(h.topic(Topics.SyncRequested))).find((m) => m.json<{ id: string }>().id === malformed.id),
    );
    expect(letter.headers[DLQ_HEADERS.reason]).toMatch(/syncId/);
    expect(await h.rows(`SELECT 1 FROM payments.xero_operations WHERE company_id = $1`, [companyId])).toEqual([]);
  });
});

describe('payment reconciliation by poll, with the webhooks switched off', () => {
  beforeAll(async () => {
    await h.restartPayments({ PAYMENTS_POLL_INTERVAL_MS: '1000' });
    await h.webhooks(false);
  });

  it('finds a part payment, a payment to PAID, a deleted payment and an allocated credit note', async () => {
    const { companyId, org, contactId } = await connectedCompany('poll');
    const { invoiceId } = await h.raise(companyId, org, contactId, 100);
    const other = await h.raise(companyId, org, contactId, 90);

    await h.pay(org, invoiceId, 25);
    expect(await h.settled(companyId, invoiceId, { [Topics.PaymentRecorded]: 1, [Topics.InvoicePartiallyPaid]: 1 }, 2_500)).toEqual({ 'payment.recorded': 1, 'invoice.partially_paid': 1 });
    const rest = await h.pay(org, invoiceId, 75);
    expect(await h.settled(companyId, invoiceId, { [Topics.InvoicePaid]: 1 }, 2_500)).toEqual({ 'payment.recorded': 2, 'invoice.partially_paid': 1, 'invoice.paid': 1 });
    await h.deletePayment(org, rest);
    expect(await h.settled(companyId, invoiceId, { [Topics.PaymentReversed]: 1 }, 2_500)).toEqual({ 'payment.recorded': 2, 'invoice.partially_paid': 2, 'invoice.paid': 1, 'payment.reversed': 1 });
    await h.creditNote(org, contactId, other.invoiceId, 90);
    expect(await h.settled(companyId, other.invoiceId, { [Topics.CreditAllocated]: 1, [Topics.InvoicePaid]: 1 }, 2_500)).toEqual({ 'credit.allocated': 1, 'invoice.paid': 1 });

    const sources = await h.rows<{ source: string }>(`SELECT DISTINCT source FROM payments.reconciliation_history WHERE company_id = $1`, [companyId]);
    expect(sources).toEqual([{ source: 'poll' }]);
    const pulls = await h.rows<{ body: { page: number } }>(`SELECT body FROM payments.xero_operations WHERE company_id = $1 AND kind = 'reconciliation.pull' AND status = 'succeeded'`, [companyId]);
    expect(pulls.length).toBeGreaterThan(0);
    expect(pulls.every((p) => p.body.page === 1)).toBe(true);
  });

  it('ignores what happens to invoices Ledgerline did not raise', async () => {
    const { companyId, org, contactId } = await connectedCompany('foreign');
    const { invoiceId } = await h.raise(companyId, org, contactId, 10);
    const { invoices } = await org.seed({
      invoices: [{ Type: 'ACCREC', Status: 'AUTHORISED', Contact: { ContactID: contactId }, LineItems: [{ Description: 'Not ours', Quantity: 1, UnitAmount: 5, AccountCode: '200', TaxType: 'NONE' }] }],
    });
    const foreign = String(invoices[0]['InvoiceID']);
    await h.pay(org, foreign, 5);
    await h.pay(org, invoiceId, 10);
    await h.settled(companyId, invoiceId, { [Topics.InvoicePaid]: 1 }, 2_500);
    expect(h.announced(companyId, foreign)).toEqual([]);
    const [known] = await h.rows<{ n: number }>(`SELECT count(*)::int AS n FROM payments.reconciled_invoices WHERE xero_invoice_id = $1`, [foreign]);
    expect(known.n).toBe(0);
  });

  it('tells a company that disconnected nothing more', async () => {
    const { companyId, org, contactId } = await connectedCompany('gone');
    const { invoiceId } = await h.raise(companyId, org, contactId, 20);
    await h.pay(org, invoiceId, 5);
    await h.settled(companyId, invoiceId, { [Topics.PaymentRecorded]: 1 }, 500);
    const [link] = await h.rows<{ connection_id: string }>(`SELECT connection_id FROM payments.xero_tenant_links WHERE company_id = $1`, [companyId]);
    await h.publish(Topics.XeroConnectionDisconnected, companyId, { connectionId: link.connection_id, tenantId: org.tenantId, disconnectedBy: `admin@${companyId}` });
    await eventually('the link ended', async () => (await h.rows(`SELECT 1 FROM payments.xero_tenant_links WHERE company_id = $1 AND status = 'disconnected'`, [companyId])).length > 0);
    // A run recorded just before the disconnect may still go out; once it has, none follows.
    await eventually('its last poll run ended', async () => (await h.rows(`SELECT 1 FROM payments.xero_operations WHERE company_id = $1 AND status IN ('pending', 'waiting_connection')`, [companyId])).length === 0);
    const before = h.counts(companyId, invoiceId);
    await h.pay(org, invoiceId, 15);
    // Several poll rounds pass.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(h.counts(companyId, invoiceId)).toEqual(before);
  });
});
