import { createEvent, deadLetterTopic, DocumentType, Topics } from '@ledgerline/contracts';
import { DLQ_HEADERS } from '@ledgerline/messaging';
import { eventually, SandboxOrganisation, uniqueId, XeroJson } from '@ledgerline/testing';
import { randomUUID } from 'node:crypto';
import { DocumentsHarness } from './support/documents-harness';

jest.setTimeout(120_000);

/**
 * document.cancel_requested by Xero's rules, with the documents service as its own process against the real
 * broker, Postgres and the sandbox: drafts deleted, authorised invoices voided, paid ones refused, requests not
 * yet sent cancelled without a call, and every record still listed afterwards.
 */
const harness = new DocumentsHarness();

beforeAll(async () => {
  const watched = [
    Topics.InvoiceCreated,
    Topics.InvoiceFailed,
    Topics.QuoteCreated,
    Topics.PurchaseOrderCreated,
    Topics.DocumentCancelled,
    Topics.DocumentCancelFailed,
    Topics.ContactSyncRequested,
  ];
  await harness.start([...watched, deadLetterTopic(Topics.DocumentCancelRequested)], {
    OPERATIONS_INTERVAL_MS: '100',
    OPERATIONS_LINGER_MS: '50',
    OPERATIONS_RETRY_BASE_MS: '200',
    OPERATIONS_RETRY_MAX_MS: '1000',
    OPERATIONS_LEASE_MS: '3000',
  });
});

afterAll(async () => {
  await harness.stop();
});

async function companyWithContact(label: string): Promise<{ companyId: string; org: SandboxOrganisation }> {
  const company = await harness.connectedCompany(label);
  const contactId = await company.org.createContact(`${label} Customer`);
  await harness.publish(Topics.ContactSynced, company.companyId, { clientId: 'client-1', xeroContactId: contactId, contactName: `${label} Customer`, action: 'created' });
  return company;
}

/** One record as Xero serves it by id. */
async function fetchAgain(org: SandboxOrganisation, collection: string, id: string): Promise<XeroJson> {
  const { accessToken, tenantId } = await org.token();
  const response = await fetch(`${harness.sandbox.url}/api.xro/2.0/${collection}/${id}`, { headers: { authorization: `Bearer ${accessToken}`, 'xero-tenant-id': tenantId } });
  return ((await response.json()) as Record<string, XeroJson[]>)[collection][0];
}

async function pay(org: SandboxOrganisation, invoiceId: string, amount: number): Promise<void> {
  const response = await fetch(`${harness.sandbox.url}/__sandbox/organisations/${org.tenantId}/invoices/${invoiceId}/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount }),
  });
  if (!response.ok) throw new Error(`paying ${invoiceId}: ${response.status} ${await response.text()}`);
}

async function cancel(companyId: string, documentType: DocumentType, requestId: string, reason = 'Raised in error') {
  return harness.publish(Topics.DocumentCancelRequested, companyId, { documentType, requestId, reason });
}

async function documentByRequest(companyId: string, requestId: string): Promise<XeroJson> {
  const page = await harness.rest('GET', '/v1/documents?pageSize=200', companyId);
  const found = (page.body['items'] as XeroJson[]).find((d) => d['requestId'] === requestId);
  if (!found) throw new Error(`no document for ${requestId}`);
  return found;
}

describe('cancelling invoices by Xero’s rules', () => {
  it('deletes a draft invoice and voids an authorised one, keeping both records with when, by which request and why', async () => {
    const { companyId, org } = await companyWithContact('delvoid');
    const draft = harness.invoiceRequest('client-1', { status: 'DRAFT' });
    const authorised = harness.invoiceRequest('client-1', { status: 'AUTHORISED' });
    await harness.publish(Topics.InvoiceRequested, companyId, draft);
    await harness.publish(Topics.InvoiceRequested, companyId, authorised);
    const draftCreated = await harness.outcomeFor(Topics.InvoiceCreated, companyId, draft.requestId);
    const authorisedCreated = await harness.outcomeFor(Topics.InvoiceCreated, companyId, authorised.requestId);

    const draftCancel = await cancel(companyId, 'invoice', draft.requestId, 'Duplicate of INV-7');
    const authorisedCancel = await cancel(companyId, 'invoice', authorised.requestId);
    const deleted = await harness.outcomeFor(Topics.DocumentCancelled, companyId, draft.requestId);
    const voided = await harness.outcomeFor(Topics.DocumentCancelled, companyId, authorised.requestId);
    expect(deleted.payload).toEqual({ documentType: 'invoice', requestId: draft.requestId, xeroId: draftCreated.payload['xeroId'], status: 'DELETED', reason: 'Duplicate of INV-7' });
    expect(voided.payload).toMatchObject({ documentType: 'invoice', xeroId: authorisedCreated.payload['xeroId'], status: 'VOIDED' });
    expect(deleted.causationId).toBe(draftCancel.id);
    expect(deleted.correlationId).toBe(draftCancel.correlationId);

    expect((await fetchAgain(org, 'Invoices', draftCreated.payload['xeroId'] as string))['Status']).toBe('DELETED');
    expect((await fetchAgain(org, 'Invoices', authorisedCreated.payload['xeroId'] as string))['Status']).toBe('VOIDED');

    const record = await documentByRequest(companyId, draft.requestId);
    expect(record).toMatchObject({
      type: 'invoice',
      status: 'cancelled',
      xero: { id: draftCreated.payload['xeroId'], status: 'DELETED' },
      cancel: { eventId: draftCancel.id, reason: 'Duplicate of INV-7', cancelledAt: expect.any(String), failure: null },
    });
    expect(await documentByRequest(companyId, authorised.requestId)).toMatchObject({ status: 'cancelled', xero: { status: 'VOIDED' }, cancel: { eventId: authorisedCancel.id } });
    const listed = await harness.rest('GET', '/v1/documents?status=cancelled', companyId);
    expect((listed.body['items'] as XeroJson[]).map((d) => d['requestId']).sort()).toEqual([draft.requestId, authorised.requestId].sort());

    // The same cancel again (a new event for the same request) changes nothing and is not answered twice.
    await cancel(companyId, 'invoice', draft.requestId);
    const marker = harness.invoiceRequest('client-1');
    await harness.publish(Topics.InvoiceRequested, companyId, marker);
    await harness.outcomeFor(Topics.InvoiceCreated, companyId, marker.requestId);
    await cancel(companyId, 'invoice', marker.requestId);
    await harness.outcomeFor(Topics.DocumentCancelled, companyId, marker.requestId);
    expect(harness.outcomes(Topics.DocumentCancelled, companyId).filter((e) => e.payload.requestId === draft.requestId)).toHaveLength(1);
  });

  it('refuses to cancel a paid or part-paid invoice, saying why, and leaves it in Xero and listed as created', async () => {
    const { companyId, org } = await companyWithContact('paid');
    const paid = harness.invoiceRequest('client-1');
    const partPaid = harness.invoiceRequest('client-1');
    await harness.publish(Topics.InvoiceRequested, companyId, paid);
    await harness.publish(Topics.InvoiceRequested, companyId, partPaid);
    const paidCreated = await harness.outcomeFor(Topics.InvoiceCreated, companyId, paid.requestId);
    const partCreated = await harness.outcomeFor(Topics.InvoiceCreated, companyId, partPaid.requestId);
    // 65.00 + 15% GST = 74.75.
    await pay(org, paidCreated.payload['xeroId'] as string, 74.75);
    await pay(org, partCreated.payload['xeroId'] as string, 10);

    await cancel(companyId, 'invoice', paid.requestId);
    await cancel(companyId, 'invoice', partPaid.requestId);
    const refused = await harness.outcomeFor(Topics.DocumentCancelFailed, companyId, paid.requestId);
    const partRefused = await harness.outcomeFor(Topics.DocumentCancelFailed, companyId, partPaid.requestId);
    expect(refused.payload).toEqual({
      documentType: 'invoice',
      requestId: paid.requestId,
      failure: { code: 'CANCEL_REFUSED', messages: ['The invoice is paid; remove its payments in Xero before voiding it'] },
    });
    expect(partRefused.payload['failure']).toEqual({ code: 'CANCEL_REFUSED', messages: ['The invoice is part-paid; remove its payments in Xero before voiding it'] });
    expect((await fetchAgain(org, 'Invoices', paidCreated.payload['xeroId'] as string))['Status']).toBe('PAID');
    expect((await fetchAgain(org, 'Invoices', partCreated.payload['xeroId'] as string))['Status']).toBe('AUTHORISED');
    expect(await documentByRequest(companyId, paid.requestId)).toMatchObject({
      status: 'created',
      cancel: { requestedAt: null, cancelledAt: null, failure: { code: 'CANCEL_REFUSED' } },
    });
    expect(harness.outcomes(Topics.DocumentCancelled, companyId)).toEqual([]);
    // Xero was only read, never asked to void either.
    expect((await org.calls()).filter((c) => c.method === 'POST' && /\/Invoices\//.test(c.path))).toEqual([]);
  });
});

describe('cancelling quotes, purchase orders and requests not yet in Xero', () => {
  it('deletes a quote and a purchase order, and refuses a billed purchase order', async () => {
    const { companyId, org } = await companyWithContact('qpo');
    const quote = harness.quoteRequest('client-1');
    const order = harness.purchaseOrderRequest('client-1');
    const billed = harness.purchaseOrderRequest('client-1');
    await harness.publish(Topics.QuoteRequested, companyId, quote);
    await harness.publish(Topics.PurchaseOrderRequested, companyId, order);
    await harness.publish(Topics.PurchaseOrderRequested, companyId, billed);
    const quoteCreated = await harness.outcomeFor(Topics.QuoteCreated, companyId, quote.requestId);
    const orderCreated = await harness.outcomeFor(Topics.PurchaseOrderCreated, companyId, order.requestId);
    const billedCreated = await harness.outcomeFor(Topics.PurchaseOrderCreated, companyId, billed.requestId);
    // The supplier's bill is entered in Xero: the order is BILLED.
    const { accessToken, tenantId } = await org.token();
    const marked = await fetch(`${harness.sandbox.url}/api.xro/2.0/PurchaseOrders/${billedCreated.payload['xeroId']}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'xero-tenant-id': tenantId, 'content-type': 'application/json' },
      body: JSON.stringify({ PurchaseOrders: [{ Status: 'BILLED' }] }),
    });
    expect(marked.status).toBe(200);

    await cancel(companyId, 'quote', quote.requestId);
    await cancel(companyId, 'purchase_order', order.requestId);
    await cancel(companyId, 'purchase_order', billed.requestId);
    expect((await harness.outcomeFor(Topics.DocumentCancelled, companyId, quote.requestId)).payload).toMatchObject({ documentType: 'quote', xeroId: quoteCreated.payload['xeroId'], status: 'DELETED' });
    expect((await harness.outcomeFor(Topics.DocumentCancelled, companyId, order.requestId)).payload).toMatchObject({ documentType: 'purchase_order', xeroId: orderCreated.payload['xeroId'], status: 'DELETED' });
    const refused = await harness.outcomeFor(Topics.DocumentCancelFailed, companyId, billed.requestId);
    expect(refused.payload['failure']).toEqual({ code: 'CANCEL_REFUSED', messages: ['The purchase order has been billed and can no longer be deleted'] });

    expect((await fetchAgain(org, 'Quotes', quoteCreated.payload['xeroId'] as string))['Status']).toBe('DELETED');
    expect((await fetchAgain(org, 'PurchaseOrders', orderCreated.payload['xeroId'] as string))['Status']).toBe('DELETED');
    expect((await fetchAgain(org, 'PurchaseOrders', billedCreated.payload['xeroId'] as string))['Status']).toBe('BILLED');
    expect(await documentByRequest(companyId, quote.requestId)).toMatchObject({ type: 'quote', status: 'cancelled', xero: { status: 'DELETED' } });
  });

  it('cancels locally, without a call, a request waiting for its contact and one waiting for a connection; neither reaches Xero later', async () => {
    // Waiting for the client's contact.
    const { companyId, org } = await harness.connectedCompany('notsent');
    const waiting = harness.invoiceRequest('client-new');
    await harness.publish(Topics.InvoiceRequested, companyId, waiting);
    await eventually('the invoice to wait for its contact', async () => (await documentByRequest(companyId, waiting.requestId).catch(() => undefined))?.['status'] === 'waiting_contact');
    const callsBefore = (await org.calls()).length;
    await cancel(companyId, 'invoice', waiting.requestId, 'Customer changed their mind');
    const cancelled = await harness.outcomeFor(Topics.DocumentCancelled, companyId, waiting.requestId);
    expect(cancelled.payload).toEqual({ documentType: 'invoice', requestId: waiting.requestId, status: 'NOT_SENT', reason: 'Customer changed their mind' });
    const contactId = await org.createContact('New Customer');
    await harness.publish(Topics.ContactSynced, companyId, { clientId: 'client-new', xeroContactId: contactId, contactName: 'New Customer', action: 'created' });

    // Waiting for the company's Xero connection: its operation is recorded and parked.
    const unconnected = uniqueId('unconnected-');
    const later = await SandboxOrganisation.create(harness.sandbox.url, 'Later Ltd');
    const laterContact = await later.createContact('Later Customer');
    await harness.publish(Topics.ContactSynced, unconnected, { clientId: 'client-x', xeroContactId: laterContact, contactName: 'Later Customer', action: 'created' });
    const parked = harness.quoteRequest('client-x');
    await harness.publish(Topics.QuoteRequested, unconnected, parked);
    await eventually('the quote to wait for a connection', async () => (await documentByRequest(unconnected, parked.requestId).catch(() => undefined))?.['status'] === 'waiting_connection');
    await cancel(unconnected, 'quote', parked.requestId);
    expect((await harness.outcomeFor(Topics.DocumentCancelled, unconnected, parked.requestId)).payload).toMatchObject({ status: 'NOT_SENT' });
    expect(await harness.rows(`SELECT "status", "failure"->>'code' AS "code" FROM "documents"."xero_operations" WHERE "company_id" = $1`, [unconnected])).toEqual([{ status: 'failed', code: 'CANCELLED' }]);
    harness.connections.set(unconnected, () => later.token());
    await harness.publish(Topics.XeroConnectionConnected, unconnected, { connectionId: randomUUID(), tenantId: later.tenantId, organisationName: 'Later Ltd', connectedBy: 'user-later' });

    // A marker after both: by the time it is created, anything resumed would have been sent.
    const marker = harness.quoteRequest('client-x');
    await harness.publish(Topics.QuoteRequested, unconnected, marker);
    await harness.outcomeFor(Topics.QuoteCreated, unconnected, marker.requestId);
    const markerInvoice = harness.invoiceRequest('client-new');
    await harness.publish(Topics.InvoiceRequested, companyId, markerInvoice);
    await harness.outcomeFor(Topics.InvoiceCreated, companyId, markerInvoice.requestId);

    expect((await harness.xeroList(later, 'Quotes')).map((q) => q['Reference'])).toEqual([marker.reference]);
    expect((await org.invoices()).map((i) => i['Reference'])).toEqual([markerInvoice.reference]);
    expect((await org.calls()).slice(callsBefore).filter((c) => /Invoices/.test(c.endpoint) && c.method !== 'GET')).toHaveLength(1);
    expect(await documentByRequest(companyId, waiting.requestId)).toMatchObject({ status: 'cancelled', xero: { id: null, status: null }, cancel: { reason: 'Customer changed their mind' } });
    expect(await documentByRequest(unconnected, parked.requestId)).toMatchObject({ type: 'quote', status: 'cancelled' });
  });

  it('cancels an invoice that is on its way to Xero once its create answer arrives: it is voided, not left behind', async () => {
    const { companyId, org } = await companyWithContact('inflight');
    await org.addFault({ latencyMs: 2_500, remaining: 1 });
    const request = harness.invoiceRequest('client-1');
    await harness.publish(Topics.InvoiceRequested, companyId, request);
    await eventually('the invoice to be in a batch on its way to Xero', async () => {
      const rows = await harness.rows<{ batch_id: string | null }>(`SELECT "batch_id" FROM "documents"."xero_operations" WHERE "company_id" = $1 AND "kind" = 'invoice.create'`, [companyId]);
      return rows.length === 1 && rows[0].batch_id !== null;
    });
    const cancelEvent = await cancel(companyId, 'invoice', request.requestId);
    const created = await harness.outcomeFor(Topics.InvoiceCreated, companyId, request.requestId);
    const cancelled = await harness.outcomeFor(Topics.DocumentCancelled, companyId, request.requestId);
    expect(cancelled.payload).toMatchObject({ xeroId: created.payload['xeroId'], status: 'VOIDED' });
    expect(cancelled.causationId).toBe(cancelEvent.id);
    expect((await fetchAgain(org, 'Invoices', created.payload['xeroId'] as string))['Status']).toBe('VOIDED');
    expect(await documentByRequest(companyId, request.requestId)).toMatchObject({ status: 'cancelled', xero: { status: 'VOIDED' } });
  });

  it('answers a cancel for an unknown request with DOCUMENT_NOT_FOUND, and dead-letters a malformed one with the reason', async () => {
    const { companyId } = await harness.connectedCompany('unknown');
    await cancel(companyId, 'quote', 'never-requested');
    const failed = await harness.outcomeFor(Topics.DocumentCancelFailed, companyId, 'never-requested');
    expect(failed.payload).toEqual({
      documentType: 'quote',
      requestId: 'never-requested',
      failure: { code: 'DOCUMENT_NOT_FOUND', messages: ['No quote request never-requested is known for this company'] },
    });

    const valid = createEvent(Topics.DocumentCancelRequested, companyId, { documentType: 'invoice', requestId: 'r-1' });
    const malformed = { ...valid, payload: { documentType: 'credit_note', requestId: 'r-1' } };
    await harness.probe.send(harness.topic(Topics.DocumentCancelRequested), [{ key: companyId, value: JSON.stringify(malformed) }]);
    const letter = await eventually('the cancel in the dead-letter topic', () =>
      harness.probe.on(deadLetterTopic(harness.topic(Topics.DocumentCancelRequested))).find((m) => m.json<{ id: string }>().id === malformed.id),
    );
    expect(letter.headers[DLQ_HEADERS.reason]).toMatch(/documentType/);
    expect(harness.outcomes(Topics.DocumentCancelFailed, companyId)).toHaveLength(1);
  });
});
