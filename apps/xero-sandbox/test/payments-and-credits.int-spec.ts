import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Sandbox } from '../src/sandbox';
import { call, Json, organisationWithToken, startSandbox } from './support/sandbox-harness';

jest.setTimeout(30_000);

const KEY = 'payments-credits-webhook-key-0123';

type Org = Awaited<ReturnType<typeof organisationWithToken>>;
type WebhookEvent = { resourceUrl: string; resourceId: string; eventType: string; eventCategory: string; tenantId: string; data?: Json };

/** Collects every signed event the sandbox sends (answering intent-to-receive as Xero requires). */
async function startReceiver(): Promise<{ url: string; events: WebhookEvent[]; close(): Promise<void> }> {
  const events: WebhookEvent[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const valid = createHmac('sha256', KEY).update(body).digest('base64') === req.headers['x-xero-signature'];
      if (valid) events.push(...(JSON.parse(body.toString()).events as WebhookEvent[]));
      res.writeHead(valid ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, events, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const first = (body: Json, collection: string) => (body[collection] as Json[])[0];

describe('payments, credit notes, prepayments and overpayments', () => {
  let sandbox: Sandbox;
  let org: Org;
  let contactId: string;

  /** An AUTHORISED sales invoice of 115.00 (100 + 15% GST). */
  async function invoice(): Promise<Json> {
    const created = await org.api('PUT', '/api.xro/2.0/Invoices', {
      Invoices: [{ Type: 'ACCREC', Status: 'AUTHORISED', Contact: { ContactID: contactId }, LineItems: [{ Description: 'Work', Quantity: 1, UnitAmount: 100, AccountCode: '200', TaxType: 'OUTPUT2' }] }],
    });
    expect(created.status).toBe(200);
    return first(created.body, 'Invoices');
  }
  const invoiceNow = async (id: string) => first((await org.api('GET', `/api.xro/2.0/Invoices/${id}`)).body, 'Invoices');
  const testApi = (method: string, path: string, body?: unknown) => call(sandbox, method, `/__sandbox/organisations/${org.tenantId}${path}`, { body });

  beforeAll(async () => {
    sandbox = await startSandbox();
  });

  afterAll(() => sandbox.close());

  beforeEach(async () => {
    await call(sandbox, 'POST', '/__sandbox/reset');
    org = await organisationWithToken(sandbox, 'Credit Co');
    const contact = await org.api('PUT', '/api.xro/2.0/Contacts', { Contacts: [{ Name: 'Kauri Dental' }] });
    contactId = first(contact.body, 'Contacts')['ContactID'] as string;
  });

  it('allocates a credit note to an invoice: RemainingCredit, AmountCredited and AmountDue move together', async () => {
    const inv = await invoice();
    const created = await org.api('PUT', '/api.xro/2.0/CreditNotes', {
      CreditNotes: [{ Type: 'ACCRECCREDIT', Status: 'AUTHORISED', Contact: { ContactID: contactId }, LineItems: [{ Description: 'Refund', Quantity: 1, UnitAmount: 20, AccountCode: '200', TaxType: 'OUTPUT2' }] }],
    });
    expect(created.status).toBe(200);
    const note = first(created.body, 'CreditNotes');
    expect(note).toMatchObject({ CreditNoteNumber: 'CN-0001', Type: 'ACCRECCREDIT', Status: 'AUTHORISED', Total: 23, RemainingCredit: 23, Allocations: [] });

    const allocated = await org.api('PUT', `/api.xro/2.0/CreditNotes/${note['CreditNoteID']}/Allocations`, { Allocations: [{ Invoice: { InvoiceID: inv['InvoiceID'] }, Amount: 15, Date: '2026-11-20' }] });
    expect(allocated.status).toBe(200);
    expect(first(allocated.body, 'Allocations')).toMatchObject({ Amount: 15, Invoice: { InvoiceID: inv['InvoiceID'] }, CreditNote: { CreditNoteID: note['CreditNoteID'] } });

    const after = await invoiceNow(inv['InvoiceID'] as string);
    expect(after).toMatchObject({ Status: 'AUTHORISED', Total: 115, AmountPaid: 0, AmountCredited: 15, AmountDue: 100 });
    expect(after['CreditNotes']).toEqual([expect.objectContaining({ CreditNoteID: note['CreditNoteID'], CreditNoteNumber: 'CN-0001', AppliedAmount: 15 })]);
    const noteAfter = first((await org.api('GET', `/api.xro/2.0/CreditNotes/${note['CreditNoteID']}`)).body, 'CreditNotes');
    expect(noteAfter).toMatchObject({ Status: 'AUTHORISED', RemainingCredit: 8, AppliedAmount: 15 });

    // The rest of the note exceeds neither, and leaves the note PAID; more is refused.
    const tooMuch = await org.api('PUT', `/api.xro/2.0/CreditNotes/${note['CreditNoteID']}/Allocations`, { Allocations: [{ Invoice: { InvoiceID: inv['InvoiceID'] }, Amount: 9 }] });
    expect(tooMuch.status).toBe(400);
    expect(JSON.stringify(tooMuch.body)).toContain('The amount allocated exceeds the remaining credit.');
    await org.api('PUT', `/api.xro/2.0/CreditNotes/${note['CreditNoteID']}/Allocations`, { Allocations: [{ Invoice: { InvoiceID: inv['InvoiceID'] }, Amount: 8 }] });
    expect(first((await org.api('GET', `/api.xro/2.0/CreditNotes/${note['CreditNoteID']}`)).body, 'CreditNotes')).toMatchObject({ Status: 'PAID', RemainingCredit: 0 });
    const fullyCredited = await invoiceNow(inv['InvoiceID'] as string);
    expect(fullyCredited).toMatchObject({ AmountCredited: 23, AmountDue: 92 });
    // Xero lists each credit once on the invoice, with its applied total.
    expect((fullyCredited['CreditNotes'] as Json[]).map((c) => c['AppliedAmount'])).toEqual([23]);

    // Removing the first allocation gives its 15 back to the note and to what the invoice owes.
    const firstAllocation = first(allocated.body, 'Allocations')['AllocationID'];
    const removed = await org.api('DELETE', `/api.xro/2.0/CreditNotes/${note['CreditNoteID']}/Allocations/${firstAllocation}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ AllocationID: firstAllocation, Amount: 15, IsDeleted: true, Invoice: { InvoiceID: inv['InvoiceID'] } });
    expect(first((await org.api('GET', `/api.xro/2.0/CreditNotes/${note['CreditNoteID']}`)).body, 'CreditNotes')).toMatchObject({ Status: 'AUTHORISED', RemainingCredit: 15, AppliedAmount: 8 });
    const afterRemoval = await invoiceNow(inv['InvoiceID'] as string);
    expect(afterRemoval).toMatchObject({ AmountCredited: 8, AmountDue: 107 });
    expect((afterRemoval['CreditNotes'] as Json[]).map((c) => c['AppliedAmount'])).toEqual([8]);
    expect((await org.api('DELETE', `/api.xro/2.0/CreditNotes/${note['CreditNoteID']}/Allocations/${firstAllocation}`)).status).toBe(404);

    // An invoice with credit allocated can no longer be voided or edited.
    const voided = await org.api('POST', `/api.xro/2.0/Invoices/${inv['InvoiceID']}`, { Invoices: [{ Status: 'VOIDED' }] });
    expect(voided.status).toBe(400);
    expect(JSON.stringify(voided.body)).toContain('has a payment or credit note allocated');
  });

  it('pays an invoice in full from a payment and a credit together, and a deleted payment makes it owed again', async () => {
    const inv = await invoice();
    const paid = await testApi('POST', `/invoices/${inv['InvoiceID']}/payments`, { amount: 100 });
    const paymentId = (paid.body['payment'] as Json)['PaymentID'] as string;
    const credited = await testApi('POST', '/credit-notes', { contactId, amount: 15, allocateTo: { invoiceId: inv['InvoiceID'] } });
    expect(credited.status).toBe(201);
    expect(credited.body['invoice']).toMatchObject({ Status: 'PAID', AmountPaid: 100, AmountCredited: 15, AmountDue: 0 });

    const deleted = await testApi('DELETE', `/payments/${paymentId}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body['payment']).toMatchObject({ PaymentID: paymentId, Status: 'DELETED' });
    expect(deleted.body['invoice']).toMatchObject({ Status: 'AUTHORISED', AmountPaid: 0, AmountCredited: 15, AmountDue: 100, Payments: [] });
    expect((await testApi('DELETE', `/payments/${paymentId}`)).status).toBe(400);
    expect((await testApi('DELETE', '/payments/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('receives a prepayment and an overpayment that the API reads and allocates, but never writes', async () => {
    const inv = await invoice();
    const prepayment = (await testApi('POST', '/prepayments', { contactId, amount: 40, reference: 'Deposit' })).body['Prepayments'] as Json;
    const overpayment = (await testApi('POST', '/overpayments', { contactId, amount: 30 })).body['Overpayments'] as Json;
    expect(prepayment).toMatchObject({ Type: 'RECEIVE-PREPAYMENT', Status: 'AUTHORISED', Total: 40, RemainingCredit: 40, Reference: 'Deposit' });
    expect(overpayment).toMatchObject({ Type: 'RECEIVE-OVERPAYMENT', Status: 'AUTHORISED', Total: 30, RemainingCredit: 30 });

    expect(first((await org.api('GET', '/api.xro/2.0/Prepayments')).body, 'Prepayments')['PrepaymentID']).toBe(prepayment['PrepaymentID']);
    expect((await org.api('PUT', '/api.xro/2.0/Prepayments', { Prepayments: [{ Contact: { ContactID: contactId }, Amount: 5 }] })).status).toBe(404);

    const batch = await org.api('PUT', `/api.xro/2.0/Prepayments/${prepayment['PrepaymentID']}/Allocations?summarizeErrors=false`, {
      Allocations: [
        { Invoice: { InvoiceID: inv['InvoiceID'] }, Amount: 25 },
        { Invoice: { InvoiceID: inv['InvoiceID'] }, Amount: 20 },
      ],
    });
    expect(batch.status).toBe(200);
    expect((batch.body['Allocations'] as Json[]).map((a) => a['StatusAttributeString'])).toEqual(['OK', 'ERROR']);
    await org.api('PUT', `/api.xro/2.0/Overpayments/${overpayment['OverpaymentID']}/Allocations`, { Allocations: [{ Invoice: { InvoiceID: inv['InvoiceID'] }, Amount: 30 }] });

    const after = await invoiceNow(inv['InvoiceID'] as string);
    expect(after).toMatchObject({ AmountCredited: 55, AmountDue: 60, Status: 'AUTHORISED' });
    expect((after['Prepayments'] as Json[]).map((p) => p['AppliedAmount'])).toEqual([25]);
    expect((after['Overpayments'] as Json[]).map((p) => p['AppliedAmount'])).toEqual([30]);
    expect(first((await org.api('GET', `/api.xro/2.0/Overpayments/${overpayment['OverpaymentID']}`)).body, 'Overpayments')).toMatchObject({ Status: 'PAID', RemainingCredit: 0 });
  });

  it('refuses allocations Xero refuses: another contact, a draft invoice, from a document that is no credit', async () => {
    const inv = await invoice();
    const other = first((await org.api('PUT', '/api.xro/2.0/Contacts', { Contacts: [{ Name: 'Someone Else' }] })).body, 'Contacts')['ContactID'];
    const theirs = (await testApi('POST', '/credit-notes', { contactId: other, amount: 5 })).body['CreditNotes'] as Json;
    const wrongContact = await org.api('PUT', `/api.xro/2.0/CreditNotes/${theirs['CreditNoteID']}/Allocations`, { Allocations: [{ Invoice: { InvoiceID: inv['InvoiceID'] }, Amount: 5 }] });
    expect(JSON.stringify(wrongContact.body)).toContain('The invoice and the credit must be for the same contact.');
    const draft = first((await org.api('PUT', '/api.xro/2.0/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contactId }, LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 5, AccountCode: '200' }] }] })).body, 'Invoices');
    const mine = (await testApi('POST', '/credit-notes', { contactId, amount: 5 })).body['CreditNotes'] as Json;
    const toDraft = await org.api('PUT', `/api.xro/2.0/CreditNotes/${mine['CreditNoteID']}/Allocations`, { Allocations: [{ Invoice: { InvoiceID: draft['InvoiceID'] }, Amount: 5 }] });
    expect(JSON.stringify(toDraft.body)).toContain('Allocations can only be made to AUTHORISED invoices.');
    expect((await org.api('PUT', `/api.xro/2.0/Invoices/${inv['InvoiceID']}/Allocations`, { Allocations: [] })).status).toBe(404);
  });

  it('sends PAYMENT, CREDITNOTE (with its Type and Status), PREPAYMENT, OVERPAYMENT and INVOICE webhooks as Xero does', async () => {
    const receiver = await startReceiver();
    try {
      await call(sandbox, 'PUT', '/__sandbox/webhooks', { body: { url: receiver.url, key: KEY, batchDelayMs: 20 } });
      const inv = await invoice();
      const paid = await testApi('POST', `/invoices/${inv['InvoiceID']}/payments`, { amount: 50 });
      const paymentId = (paid.body['payment'] as Json)['PaymentID'] as string;
      const note = (await testApi('POST', '/credit-notes', { contactId, amount: 10, allocateTo: { invoiceId: inv['InvoiceID'] } })).body['CreditNotes'] as Json;
      const prepayment = (await testApi('POST', '/prepayments', { contactId, amount: 5 })).body['Prepayments'] as Json;
      const overpayment = (await testApi('POST', '/overpayments', { contactId, amount: 5 })).body['Overpayments'] as Json;

      const expected = [
        ['PAYMENT', paymentId, 'Payments'],
        ['CREDITNOTE', note['CreditNoteID'], 'CreditNotes'],
        ['PREPAYMENT', prepayment['PrepaymentID'], 'Prepayments'],
        ['OVERPAYMENT', overpayment['OverpaymentID'], 'Overpayments'],
        ['INVOICE', inv['InvoiceID'], 'Invoices'],
      ] as const;
      await waitFor('an event of every category', () => expected.every(([category, id]) => receiver.events.some((e) => e.eventCategory === category && e.resourceId === id))).catch((error) => {
        throw new Error(`${(error as Error).message}; received ${JSON.stringify(receiver.events.map((e) => [e.eventCategory, e.eventType, e.resourceId]))}`);
      });
      for (const [category, id, collection] of expected) {
        const event = receiver.events.find((e) => e.eventCategory === category && e.resourceId === id) as WebhookEvent;
        expect(event).toMatchObject({ tenantId: org.tenantId, resourceUrl: `${sandbox.url}/api.xro/2.0/${collection}/${id}` });
      }
      const noteEvent = receiver.events.find((e) => e.eventCategory === 'CREDITNOTE') as WebhookEvent;
      expect(noteEvent.data).toEqual({ Type: 'ACCRECCREDIT', Status: 'PAID' });
      expect(receiver.events.find((e) => e.eventCategory === 'PAYMENT')?.eventType).toBe('CREATE');

      // A later deletion is an UPDATE of the payment (Xero has no DELETE event type), and of its invoice.
      const seen = receiver.events.length;
      await testApi('DELETE', `/payments/${paymentId}`);
      await waitFor('the payment deletion', () => receiver.events.slice(seen).some((e) => e.eventCategory === 'PAYMENT' && e.eventType === 'UPDATE' && e.resourceId === paymentId));
      expect(receiver.events.slice(seen).some((e) => e.eventCategory === 'INVOICE' && e.resourceId === inv['InvoiceID'])).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});
