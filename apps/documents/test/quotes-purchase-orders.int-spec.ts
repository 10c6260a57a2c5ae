import { createEvent, deadLetterTopic, SyncProgressPayload, Topic, Topics } from '@ledgerline/contracts';
import { DLQ_HEADERS } from '@ledgerline/messaging';
import { eventually, uniqueId, XeroJson } from '@ledgerline/testing';
import { randomUUID } from 'node:crypto';
import { DocumentsHarness } from './support/documents-harness';

jest.setTimeout(120_000);

/**
 * Quotes and purchase orders from their requests to Xero, with the documents service as its own process against
 * the real broker, Postgres and the sandbox: contact, lines and totals in Xero, one answer per request under double
 * delivery and injected 5xx/429, the supplier's contact awaited like a customer's, companies kept apart, and
 * malformed requests dead-lettered with a reason.
 */
const harness = new DocumentsHarness();

beforeAll(async () => {
  const watched = [
    Topics.QuoteRequested,
    Topics.QuoteCreated,
    Topics.QuoteFailed,
    Topics.QuoteAccepted,
    Topics.QuoteDeclined,
    Topics.InvoiceCreated,
    Topics.InvoiceFailed,
    Topics.PurchaseOrderRequested,
    Topics.PurchaseOrderCreated,
    Topics.PurchaseOrderFailed,
    Topics.PurchaseOrderBilled,
    Topics.ContactSyncRequested,
  ];
  await harness.start([...watched, Topics.SyncProgress, deadLetterTopic(Topics.QuoteRequested), deadLetterTopic(Topics.PurchaseOrderRequested), deadLetterTopic(Topics.SyncRequested)], {
    OPERATIONS_INTERVAL_MS: '100',
    OPERATIONS_LINGER_MS: '300',
    OPERATIONS_RETRY_BASE_MS: '200',
    OPERATIONS_RETRY_MAX_MS: '1000',
    OPERATIONS_LEASE_MS: '3000',
    QUOTES_POLL_INTERVAL_MS: '1000',
    PURCHASE_ORDERS_POLL_INTERVAL_MS: '1000',
  });
});

afterAll(async () => {
  await harness.stop();
});

async function knownContact(companyId: string, org: { createContact(name: string): Promise<string> }, clientId: string, name: string): Promise<string> {
  const contactId = await org.createContact(name);
  await harness.publish(Topics.ContactSynced, companyId, { clientId, xeroContactId: contactId, contactName: name, action: 'created' });
  return contactId;
}

async function documentByRequest(companyId: string, requestId: string, type?: string): Promise<XeroJson> {
  const page = await harness.rest('GET', `/v1/documents?pageSize=200${type ? `&type=${type}` : ''}`, companyId);
  expect(page.status).toBe(200);
  const found = (page.body['items'] as XeroJson[]).find((d) => d['requestId'] === requestId);
  if (!found) throw new Error(`no document for ${requestId}`);
  return found;
}

const linesOf = (record: XeroJson) =>
  (record['LineItems'] as XeroJson[]).map((l) => [l['Description'], l['Quantity'], l['UnitAmount'], l['AccountCode'], l['TaxType'], l['LineAmount']]);

describe('quotes', () => {
  it('creates a quote with its contact, lines, tax, tracking, title, summary and expiry, and announces its number and totals', async () => {
    const { companyId, org } = await harness.connectedCompany('quote');
    const contactId = await knownContact(companyId, org, 'client-q', 'Quote Customer');
    const request = harness.quoteRequest('client-q', {
      lineItems: [
        { description: 'Deck rebuild', quantity: '1', unitAmount: '1200.00', accountCode: '200', taxType: 'OUTPUT2' },
        { description: 'Staining', quantity: '3', unitAmount: '85.50', accountCode: '200', discountRate: '10', tracking: [{ name: 'Region', option: 'North' }] },
      ],
      summary: 'Hardwood, two coats',
      lineAmountTypes: 'Exclusive',
    });
    const requested = await harness.publish(Topics.QuoteRequested, companyId, request);

    const created = await harness.outcomeFor(Topics.QuoteCreated, companyId, request.requestId);
    // 1200.00 + 3 × 85.50 less 10% = 1430.85; GST 15%: 180.00 + 34.6275 → 214.63.
    expect(created.payload).toMatchObject({ clientId: 'client-q', number: 'QU-0001', status: 'SENT', subTotal: '1430.85', totalTax: '214.63', total: '1645.48', currencyCode: 'NZD' });
    expect(created.payload).not.toHaveProperty('amountDue');
    expect(created.correlationId).toBe(requested.correlationId);
    expect(created.causationId).toBe(requested.id);

    const quotes = await harness.xeroList(org, 'Quotes');
    expect(quotes).toHaveLength(1);
    const [quote] = quotes;
    expect(quote).toMatchObject({ QuoteID: created.payload['xeroId'], QuoteNumber: 'QU-0001', Status: 'SENT', Title: 'Deck rebuild', Summary: 'Hardwood, two coats', Reference: request.reference, Total: 1645.48 });
    expect(String(quote['ExpiryDateString'])).toMatch(/^2026-03-31/);
    expect((quote['Contact'] as XeroJson)['ContactID']).toBe(contactId);
    expect(linesOf(quote)).toEqual([
      ['Deck rebuild', 1, 1200, '200', 'OUTPUT2', 1200],
      ['Staining', 3, 85.5, '200', 'OUTPUT2', 230.85],
    ]);
    expect((quote['LineItems'] as XeroJson[])[1]['Tracking']).toEqual([expect.objectContaining({ Name: 'Region', Option: 'North' })]);

    const record = await documentByRequest(companyId, request.requestId, 'quote');
    expect(record).toMatchObject({ type: 'quote', status: 'created', xero: { id: created.payload['xeroId'], number: 'QU-0001', status: 'SENT', contactId }, totals: { total: '1645.48' } });
  });

  it("fails a quote Xero refuses with Xero's message, and a retry with corrected lines creates it", async () => {
    const { companyId, org } = await harness.connectedCompany('badquote');
    await knownContact(companyId, org, 'client-bq', 'Bad Quote Customer');
    const request = harness.quoteRequest('client-bq', { lineItems: [{ description: 'Advice', quantity: '1', unitAmount: '99.00', accountCode: '4999' }], status: 'DRAFT' });
    await harness.publish(Topics.QuoteRequested, companyId, request);
    const failed = await harness.outcomeFor(Topics.QuoteFailed, companyId, request.requestId);
    expect(failed.payload['failure']).toEqual({ code: 'XERO_VALIDATION', messages: ["Account code '4999' is not a valid code for this document."] });

    const record = await documentByRequest(companyId, request.requestId, 'quote');
    expect(record).toMatchObject({ status: 'failed', lastError: { code: 'XERO_VALIDATION' } });
    const retried = await harness.rest('POST', `/v1/documents/${record['id']}/retry`, companyId, { lineItems: [{ description: 'Advice', quantity: '1', unitAmount: '99.00', accountCode: '200' }] });
    expect(retried.status).toBe(202);
    const created = await harness.outcomeFor(Topics.QuoteCreated, companyId, request.requestId);
    expect(created.payload).toMatchObject({ status: 'DRAFT', total: '113.85' });
    expect(await harness.xeroList(org, 'Quotes')).toHaveLength(1);
  });
});

describe('quote watching', () => {
  /** The customer's answer, as Xero records it when they accept or decline the quote online. */
  async function answer(org: { token(): Promise<{ accessToken: string; tenantId: string }> }, quoteId: string, status: 'ACCEPTED' | 'DECLINED'): Promise<void> {
    const { accessToken, tenantId } = await org.token();
    const response = await fetch(`${harness.sandbox.url}/api.xro/2.0/Quotes/${quoteId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'xero-tenant-id': tenantId, 'content-type': 'application/json' },
      body: JSON.stringify({ Quotes: [{ Status: status }] }),
    });
    expect(response.status).toBe(200);
  }

  it('announces once a quote the customer accepts and one they decline in Xero, polling with If-Modified-Since', async () => {
    const { companyId, org } = await harness.connectedCompany('watch');
    await knownContact(companyId, org, 'client-w', 'Watched Customer');
    const accepted = harness.quoteRequest('client-w');
    const declined = harness.quoteRequest('client-w');
    await harness.publish(Topics.QuoteRequested, companyId, accepted);
    await harness.publish(Topics.QuoteRequested, companyId, declined);
    const acceptedCreated = await harness.outcomeFor(Topics.QuoteCreated, companyId, accepted.requestId);
    const declinedCreated = await harness.outcomeFor(Topics.QuoteCreated, companyId, declined.requestId);
    // Let a poll or two pass with nothing to tell.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(harness.outcomes(Topics.QuoteAccepted, companyId)).toEqual([]);

    await answer(org, acceptedCreated.payload['xeroId'] as string, 'ACCEPTED');
    await answer(org, declinedCreated.payload['xeroId'] as string, 'DECLINED');
    const acceptedEvent = await harness.outcomeFor(Topics.QuoteAccepted, companyId, accepted.requestId, 15_000);
    const declinedEvent = await harness.outcomeFor(Topics.QuoteDeclined, companyId, declined.requestId, 15_000);
    expect(acceptedEvent.payload).toEqual({ requestId: accepted.requestId, clientId: 'client-w', xeroId: acceptedCreated.payload['xeroId'], number: acceptedCreated.payload['number'], status: 'ACCEPTED' });
    expect(declinedEvent.payload).toMatchObject({ xeroId: declinedCreated.payload['xeroId'], status: 'DECLINED' });
    expect(acceptedEvent.correlationId).toBe(acceptedCreated.correlationId);

    // Further polls see the same quotes again (the mark is a second back) and announce nothing more.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(harness.outcomes(Topics.QuoteAccepted, companyId)).toHaveLength(1);
    expect(harness.outcomes(Topics.QuoteDeclined, companyId)).toHaveLength(1);
    expect(await documentByRequest(companyId, accepted.requestId, 'quote')).toMatchObject({ status: 'created', xero: { status: 'ACCEPTED' } });
    const polls = (await org.calls()).filter((c) => c.method === 'GET' && /^\/api\.xro\/2\.0\/Quotes(\?|$)/.test(c.path));
    expect(polls.length).toBeGreaterThanOrEqual(2);
    const [{ modified_since }] = await harness.rows<{ modified_since: Date | null }>(`SELECT "modified_since" FROM "documents"."quote_watch" WHERE "company_id" = $1`, [companyId]);
    expect(modified_since).not.toBeNull();
  });
});

describe('manual sync (sync.requested for quotes)', () => {
  const progress = (syncId: string) =>
    harness.probe
      .on(harness.topic(Topics.SyncProgress))
      .map((m) => m.json<{ companyId: string; causationId: string; payload: SyncProgressPayload }>())
      .filter((e) => e.payload.syncId === syncId);

  const request = (companyId: string, scope: 'payments' | 'quotes') => createEvent(Topics.SyncRequested, companyId, { syncId: randomUUID(), scope });

  async function setStatus(org: { token(): Promise<{ accessToken: string; tenantId: string }> }, quoteId: string, status: string): Promise<void> {
    const { accessToken, tenantId } = await org.token();
    const response = await fetch(`${harness.sandbox.url}/api.xro/2.0/Quotes/${quoteId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'xero-tenant-id': tenantId, 'content-type': 'application/json' },
      body: JSON.stringify({ Quotes: [{ Status: status }] }),
    });
    expect(response.status).toBe(200);
  }

  it('polls the quotes now, announcing the page read and then done, once; other scopes are left alone', async () => {
    const { companyId, org } = await harness.connectedCompany('quote-sync');
    await knownContact(companyId, org, 'client-s', 'Synced Customer');
    // A draft here is not watched by the timer: only the manual sync can find the customer's answer.
    const quote = harness.quoteRequest('client-s', { status: 'DRAFT' });
    await harness.publish(Topics.QuoteRequested, companyId, quote);
    const created = await harness.outcomeFor(Topics.QuoteCreated, companyId, quote.requestId);
    await setStatus(org, created.payload['xeroId'] as string, 'SENT');
    await setStatus(org, created.payload['xeroId'] as string, 'ACCEPTED');

    const payments = request(companyId, 'payments');
    const sync = request(companyId, 'quotes');
    // The same request twice, as a redelivery brings it: one run.
    await harness.probe.send(
      harness.topic(Topics.SyncRequested),
      [payments, sync, sync].map((event) => ({ key: companyId, value: JSON.stringify(event) })),
    );
    await eventually('the sync done', () => progress(sync.payload.syncId).find((e) => e.payload.state === 'done'));
    await new Promise((r) => setTimeout(r, 1_500));
    const events = progress(sync.payload.syncId);
    expect(events.map((e) => [e.payload.state, e.payload.pagesRead, e.payload.recordsChanged, e.payload.errors])).toEqual([
      ['running', 1, 1, 0],
      ['done', 1, 1, 0],
    ]);
    expect(events.every((e) => e.companyId === companyId && e.causationId === sync.id && e.payload.scope === 'quotes')).toBe(true);
    expect(harness.outcomes(Topics.QuoteAccepted, companyId).map((e) => e.payload.requestId)).toEqual([quote.requestId]);
    expect(progress(payments.payload.syncId)).toEqual([]);
  });

  it('answers failed with NOT_CONNECTED for a company that is not connected, and dead-letters a malformed request', async () => {
    const companyId = uniqueId('unconnected-');
    const sync = request(companyId, 'quotes');
    const malformed = { ...sync, id: randomUUID(), payload: { syncId: sync.payload.syncId, scope: 'everything' } };
    await harness.probe.send(harness.topic(Topics.SyncRequested), [sync, malformed].map((event) => ({ key: companyId, value: JSON.stringify(event) })));

    const [failed] = await eventually('the sync failed', () => {
      const found = progress(sync.payload.syncId);
      return found.length > 0 ? found : undefined;
    });
    expect(failed.payload).toMatchObject({ state: 'failed', pagesRead: 0, recordsChanged: 0, errors: 1, failure: { code: 'NOT_CONNECTED' } });
    const letter = await eventually('the malformed request dead-lettered', () =>
      harness.probe.on(deadLetterTopic(harness.topic(Topics.SyncRequested))).find((m) => m.json<{ id: string }>().id === malformed.id),
    );
    expect(letter.headers[DLQ_HEADERS.reason]).toMatch(/scope/);
    // The run ended: its operation was withdrawn rather than left waiting for a connection.
    expect(await harness.rows(`SELECT "status" FROM "documents"."xero_operations" WHERE "company_id" = $1`, [companyId])).toEqual([{ status: 'failed' }]);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(progress(sync.payload.syncId)).toHaveLength(1);
  });
});

describe('quote to invoice', () => {
  it("raises an invoice from an accepted quote with the quote's lines, marks the quote INVOICED, and refuses an unknown quote", async () => {
    const { companyId, org } = await harness.connectedCompany('q2i');
    await knownContact(companyId, org, 'client-i', 'Invoiced Customer');
    const quote = harness.quoteRequest('client-i', {
      lineItems: [
        { description: 'Deck rebuild', quantity: '1', unitAmount: '1200.00', accountCode: '200', taxType: 'OUTPUT2' },
        { description: 'Staining', quantity: '3', unitAmount: '85.50', accountCode: '200' },
      ],
    });
    await harness.publish(Topics.QuoteRequested, companyId, quote);
    const quoteCreated = await harness.outcomeFor(Topics.QuoteCreated, companyId, quote.requestId);
    const { accessToken, tenantId } = await org.token();
    const accepted = await fetch(`${harness.sandbox.url}/api.xro/2.0/Quotes/${quoteCreated.payload['xeroId']}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'xero-tenant-id': tenantId, 'content-type': 'application/json' },
      body: JSON.stringify({ Quotes: [{ Status: 'ACCEPTED' }] }),
    });
    expect(accepted.status).toBe(200);

    const invoice = harness.invoiceRequest('client-i', { lineItems: undefined, quoteRequestId: quote.requestId });
    await harness.publish(Topics.InvoiceRequested, companyId, invoice);
    const created = await harness.outcomeFor(Topics.InvoiceCreated, companyId, invoice.requestId);
    expect(created.payload).toMatchObject({ subTotal: quoteCreated.payload['subTotal'], totalTax: quoteCreated.payload['totalTax'], total: quoteCreated.payload['total'] });
    const [xeroInvoice] = await org.invoices();
    expect(linesOf(xeroInvoice)).toEqual([
      ['Deck rebuild', 1, 1200, '200', 'OUTPUT2', 1200],
      ['Staining', 3, 85.5, '200', 'OUTPUT2', 256.5],
    ]);
    await eventually('the quote to be INVOICED in Xero', async () => (await harness.xeroList(org, 'Quotes'))[0]['Status'] === 'INVOICED');
    await eventually('the quote record to say INVOICED', async () => ((await documentByRequest(companyId, quote.requestId, 'quote'))['xero'] as XeroJson)['status'] === 'INVOICED');

    const orphan = harness.invoiceRequest('client-i', { lineItems: undefined, quoteRequestId: 'no-such-quote' });
    await harness.publish(Topics.InvoiceRequested, companyId, orphan);
    const failed = await harness.outcomeFor(Topics.InvoiceFailed, companyId, orphan.requestId);
    expect(failed.payload['failure']).toEqual({ code: 'INVALID_REQUEST', messages: ['quoteRequestId: no quote request no-such-quote is known for this company'] });
    expect(await org.invoices()).toHaveLength(1);
  });
});

describe('purchase orders', () => {
  it("waits for the supplier's contact, then creates the order to that supplier with delivery date and address", async () => {
    const { companyId, org } = await harness.connectedCompany('po');
    const first = harness.purchaseOrderRequest('supplier-1');
    const second = harness.purchaseOrderRequest('supplier-1', { status: 'DRAFT', deliveryDate: undefined, deliveryAddress: undefined });
    await harness.publish(Topics.PurchaseOrderRequested, companyId, first);
    await harness.publish(Topics.PurchaseOrderRequested, companyId, second);

    const asked = await eventually('one contact.sync_requested for the supplier', () => {
      const requests = harness.outcomes(Topics.ContactSyncRequested, companyId);
      return requests.length > 0 ? requests : undefined;
    });
    expect(asked.map((e) => e.payload.clientId)).toEqual(['supplier-1']);
    await eventually('both orders to wait for the contact', async () => {
      const rows = await harness.rows<{ status: string }>(`SELECT "status" FROM "documents"."documents" WHERE "company_id" = $1 AND "type" = 'purchase_order'`, [companyId]);
      return rows.length === 2 && rows.every((r) => r.status === 'waiting_contact');
    });
    expect(await harness.xeroList(org, 'PurchaseOrders')).toEqual([]);

    const supplierId = await knownContact(companyId, org, 'supplier-1', 'Timber Supplies Ltd');
    const created = await harness.outcomeFor(Topics.PurchaseOrderCreated, companyId, first.requestId);
    const createdDraft = await harness.outcomeFor(Topics.PurchaseOrderCreated, companyId, second.requestId);
    // 20 × 12.50 = 250.00, GST 15% = 37.50.
    expect(created.payload).toMatchObject({ clientId: 'supplier-1', status: 'AUTHORISED', subTotal: '250.00', totalTax: '37.50', total: '287.50', currencyCode: 'NZD' });
    expect(createdDraft.payload).toMatchObject({ status: 'DRAFT', total: '287.50' });
    expect(harness.outcomes(Topics.ContactSyncRequested, companyId)).toHaveLength(1);

    const orders = await harness.xeroList(org, 'PurchaseOrders');
    expect(orders).toHaveLength(2);
    const order = orders.find((o) => o['PurchaseOrderID'] === created.payload['xeroId']) as XeroJson;
    expect(order).toMatchObject({ PurchaseOrderNumber: created.payload['number'], Status: 'AUTHORISED', DeliveryAddress: '12 Wharf Road, Auckland', Reference: first.reference, Total: 287.5 });
    expect(String(order['DeliveryDateString'])).toMatch(/^2026-03-05/);
    expect((order['Contact'] as XeroJson)['ContactID']).toBe(supplierId);
    expect(linesOf(order)).toEqual([['Hardwood decking', 20, 12.5, '310', 'INPUT2', 250]]);
    expect(await documentByRequest(companyId, first.requestId, 'purchase_order')).toMatchObject({ type: 'purchase_order', status: 'created', xero: { contactId: supplierId } });
  });
});

describe('purchase order billing', () => {
  it('announces once a purchase order billed in Xero, polling with If-Modified-Since, and not an order still unbilled', async () => {
    const { companyId, org } = await harness.connectedCompany('billed');
    await knownContact(companyId, org, 'supplier-b', 'Billed Supplier');
    const billed = harness.purchaseOrderRequest('supplier-b');
    const unbilled = harness.purchaseOrderRequest('supplier-b');
    await harness.publish(Topics.PurchaseOrderRequested, companyId, billed);
    await harness.publish(Topics.PurchaseOrderRequested, companyId, unbilled);
    const created = await harness.outcomeFor(Topics.PurchaseOrderCreated, companyId, billed.requestId);
    await harness.outcomeFor(Topics.PurchaseOrderCreated, companyId, unbilled.requestId);

    // The supplier's bill is raised from the order in Xero.
    const { tenantId } = await org.token();
    const bill = await fetch(`${harness.sandbox.url}/__sandbox/organisations/${tenantId}/purchase-orders/${created.payload['xeroId']}/bill`, { method: 'POST' });
    expect(bill.status).toBe(200);
    const event = await harness.outcomeFor(Topics.PurchaseOrderBilled, companyId, billed.requestId, 15_000);
    expect(event.payload).toEqual({ requestId: billed.requestId, clientId: 'supplier-b', xeroId: created.payload['xeroId'], number: created.payload['number'], status: 'BILLED' });
    expect(event.correlationId).toBe(created.correlationId);

    // Later polls (the other order is still unbilled, so the company stays watched) announce nothing more.
    const pollsBefore = (await org.calls()).filter((c) => c.method === 'GET' && /^\/api\.xro\/2\.0\/PurchaseOrders(\?|$)/.test(c.path)).length;
    await eventually('another purchase order poll', async () => (await org.calls()).filter((c) => c.method === 'GET' && /^\/api\.xro\/2\.0\/PurchaseOrders(\?|$)/.test(c.path)).length >= pollsBefore + 2, 15_000);
    expect(harness.outcomes(Topics.PurchaseOrderBilled, companyId)).toHaveLength(1);
    expect(await documentByRequest(companyId, billed.requestId, 'purchase_order')).toMatchObject({ status: 'created', xero: { status: 'BILLED' } });
    expect(await documentByRequest(companyId, unbilled.requestId, 'purchase_order')).toMatchObject({ status: 'created', xero: { status: 'AUTHORISED' } });
    const [{ modified_since }] = await harness.rows<{ modified_since: Date | null }>(`SELECT "modified_since" FROM "documents"."purchase_order_watch" WHERE "company_id" = $1`, [companyId]);
    expect(modified_since).not.toBeNull();
  });
});

describe('every kind under double delivery and a faulty Xero', () => {
  it('answers each quote and purchase order once and creates each once, while calls fail with 5xx and 429', async () => {
    const { companyId, org } = await harness.connectedCompany('faulty');
    await knownContact(companyId, org, 'client-f', 'Faulty Customer');
    await knownContact(companyId, org, 'supplier-f', 'Faulty Supplier');
    await org.addFault({ errorRate: 1, errorStatus: 503, remaining: 1 });
    await org.addFault({ rateLimitRate: 1, retryAfterSeconds: 1, remaining: 1 });
    await org.addFault({ errorRate: 0.2, errorStatus: 503, rateLimitRate: 0.15, retryAfterSeconds: 1 });

    const quotes = Array.from({ length: 8 }, () => harness.quoteRequest('client-f'));
    const orders = Array.from({ length: 8 }, () => harness.purchaseOrderRequest('supplier-f'));
    // Each event delivered twice, and each request id re-sent once more as a new event.
    const twice = <T extends Topic>(name: T, payloads: object[]) =>
      payloads.flatMap((payload) => {
        const value = JSON.stringify(createEvent(name, companyId, payload as never));
        return [
          { key: companyId, value },
          { key: companyId, value },
          { key: companyId, value: JSON.stringify(createEvent(name, companyId, payload as never)) },
        ];
      });
    await harness.probe.send(harness.topic(Topics.QuoteRequested), twice(Topics.QuoteRequested, quotes));
    await harness.probe.send(harness.topic(Topics.PurchaseOrderRequested), twice(Topics.PurchaseOrderRequested, orders));

    await eventually(
      'every quote and order to be created',
      () =>
        quotes.every((q) => harness.outcomes(Topics.QuoteCreated, companyId).some((e) => e.payload.requestId === q.requestId)) &&
        orders.every((o) => harness.outcomes(Topics.PurchaseOrderCreated, companyId).some((e) => e.payload.requestId === o.requestId)),
      60_000,
    );
    await org.clearFaults();
    // A late duplicate answer would come within the engine's next few rounds.
    await new Promise((r) => setTimeout(r, 1_500));

    const xeroQuotes = await harness.xeroList(org, 'Quotes');
    const xeroOrders = await harness.xeroList(org, 'PurchaseOrders');
    expect(xeroQuotes.map((q) => q['Reference']).sort()).toEqual(quotes.map((q) => q.reference).sort());
    expect(xeroOrders.map((o) => o['Reference']).sort()).toEqual(orders.map((o) => o.reference).sort());
    expect(harness.outcomes(Topics.QuoteCreated, companyId)).toHaveLength(quotes.length);
    expect(harness.outcomes(Topics.PurchaseOrderCreated, companyId)).toHaveLength(orders.length);
    expect(harness.outcomes(Topics.QuoteFailed, companyId)).toEqual([]);
    expect(harness.outcomes(Topics.PurchaseOrderFailed, companyId)).toEqual([]);
    const writes = (await org.calls()).filter((c) => /^(PUT|POST) \/api\.xro\/2\.0\/(Quotes|PurchaseOrders)$/.test(c.endpoint));
    expect(writes.some((c) => c.status === 503)).toBe(true);
    expect(writes.some((c) => c.status === 429)).toBe(true);
    // Batched: far fewer successful writes than documents.
    expect(writes.filter((c) => c.status === 200).length).toBeLessThan(quotes.length + orders.length);
  });
});

describe('companies and malformed requests', () => {
  it("puts each company's quote and order only in its own organisation", async () => {
    const a = await harness.connectedCompany('alpha');
    const b = await harness.connectedCompany('beta');
    const aContact = await knownContact(a.companyId, a.org, 'shared-client', 'Alpha Customer');
    const bContact = await knownContact(b.companyId, b.org, 'shared-client', 'Beta Customer');
    // The same client id and request id in both companies.
    const quote = harness.quoteRequest('shared-client');
    const order = harness.purchaseOrderRequest('shared-client');
    for (const { companyId } of [a, b]) {
      await harness.publish(Topics.QuoteRequested, companyId, quote);
      await harness.publish(Topics.PurchaseOrderRequested, companyId, order);
    }
    const [aQuote, bQuote, aOrder, bOrder] = await Promise.all([
      harness.outcomeFor(Topics.QuoteCreated, a.companyId, quote.requestId),
      harness.outcomeFor(Topics.QuoteCreated, b.companyId, quote.requestId),
      harness.outcomeFor(Topics.PurchaseOrderCreated, a.companyId, order.requestId),
      harness.outcomeFor(Topics.PurchaseOrderCreated, b.companyId, order.requestId),
    ]);
    const [aQuotes, bQuotes, aOrders, bOrders] = await Promise.all([
      harness.xeroList(a.org, 'Quotes'),
      harness.xeroList(b.org, 'Quotes'),
      harness.xeroList(a.org, 'PurchaseOrders'),
      harness.xeroList(b.org, 'PurchaseOrders'),
    ]);
    expect(aQuotes.map((q) => [q['QuoteID'], (q['Contact'] as XeroJson)['ContactID']])).toEqual([[aQuote.payload['xeroId'], aContact]]);
    expect(bQuotes.map((q) => [q['QuoteID'], (q['Contact'] as XeroJson)['ContactID']])).toEqual([[bQuote.payload['xeroId'], bContact]]);
    expect(aOrders.map((o) => [o['PurchaseOrderID'], (o['Contact'] as XeroJson)['ContactID']])).toEqual([[aOrder.payload['xeroId'], aContact]]);
    expect(bOrders.map((o) => [o['PurchaseOrderID'], (o['Contact'] as XeroJson)['ContactID']])).toEqual([[bOrder.payload['xeroId'], bContact]]);
    // Neither company sees the other's records over REST.
    const aList = await harness.rest('GET', '/v1/documents?pageSize=200', a.companyId);
    expect((aList.body['items'] as XeroJson[]).map((d) => d['xero'] && (d['xero'] as XeroJson)['id']).sort()).toEqual([aQuote.payload['xeroId'], aOrder.payload['xeroId']].sort());
  });

  it('dead-letters a malformed quote and purchase order with the reason, and an impossible one fails with INVALID_REQUEST without a call', async () => {
    const { companyId, org } = await harness.connectedCompany('malformed');
    await knownContact(companyId, org, 'client-m', 'Malformed Customer');
    // Built valid, then broken: createEvent refuses to build an invalid event.
    const quoteEvent = createEvent(Topics.QuoteRequested, companyId, harness.quoteRequest('client-m'));
    const badQuote = { ...quoteEvent, payload: { ...quoteEvent.payload, status: 'ACCEPTED' } };
    const orderEvent = createEvent(Topics.PurchaseOrderRequested, companyId, harness.purchaseOrderRequest('client-m'));
    const badOrder = { ...orderEvent, payload: { ...orderEvent.payload, lineItems: [] } };
    await harness.probe.send(harness.topic(Topics.QuoteRequested), [{ key: companyId, value: JSON.stringify(badQuote) }]);
    await harness.probe.send(harness.topic(Topics.PurchaseOrderRequested), [{ key: companyId, value: JSON.stringify(badOrder) }]);

    const quoteLetter = await eventually('the quote in the dead-letter topic', () =>
      harness.probe.on(deadLetterTopic(harness.topic(Topics.QuoteRequested))).find((m) => m.json<{ id: string }>().id === badQuote.id),
    );
    const orderLetter = await eventually('the order in the dead-letter topic', () =>
      harness.probe.on(deadLetterTopic(harness.topic(Topics.PurchaseOrderRequested))).find((m) => m.json<{ id: string }>().id === badOrder.id),
    );
    expect(quoteLetter.headers[DLQ_HEADERS.reason]).toMatch(/status/);
    expect(orderLetter.headers[DLQ_HEADERS.reason]).toMatch(/lineItems must contain at least one line/);

    const impossible = harness.quoteRequest('client-m', { expiryDate: '2026-01-01' });
    await harness.publish(Topics.QuoteRequested, companyId, impossible);
    const failed = await harness.outcomeFor(Topics.QuoteFailed, companyId, impossible.requestId);
    expect(failed.payload['failure']).toEqual({ code: 'INVALID_REQUEST', messages: ["expiryDate: 2026-01-01 is before the quote's date 2026-03-01"] });
    expect(await harness.rows(`SELECT 1 FROM "documents"."documents" WHERE "company_id" = $1`, [companyId])).toHaveLength(1);
    expect((await org.calls()).filter((c) => /Quotes|PurchaseOrders/.test(c.endpoint))).toEqual([]);
  });
});
