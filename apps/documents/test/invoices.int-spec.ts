import { createEvent, deadLetterTopic, InvoiceRequestedPayload, Topics } from '@ledgerline/contracts';
import { bearerToken, eventually, Role, SandboxOrganisation, uniqueId, XeroJson } from '@ledgerline/testing';
import { randomUUID } from 'node:crypto';
import { DOCUMENTS_JWT, DocumentsHarness } from './support/documents-harness';

jest.setTimeout(120_000);

const harness = new DocumentsHarness();
const bearer = (companyId: string, role: Role = 'accountant') => bearerToken(DOCUMENTS_JWT, { sub: `user-${companyId}`, companyId, role });

const topic = harness.topic;
const connectedCompany = (label: string) => harness.connectedCompany(label);
const publish: DocumentsHarness['publish'] = (name, companyId, payload) => harness.publish(name, companyId, payload);
const invoiceRequest = (clientId: string, overrides: Partial<InvoiceRequestedPayload> = {}) => harness.invoiceRequest(clientId, overrides);
const outcomes: DocumentsHarness['outcomes'] = (name, companyId) => harness.outcomes(name, companyId);
const outcomeFor: DocumentsHarness['outcomeFor'] = (name, companyId, requestId, timeoutMs) => harness.outcomeFor(name, companyId, requestId, timeoutMs);

async function rest(method: string, path: string, auth: string | undefined, body?: unknown): Promise<{ status: number; body: XeroJson }> {
  const response = await fetch(`${harness.documents.url}${path}`, {
    method,
    headers: { ...(auth ? { authorization: auth } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as XeroJson) : {} };
}

async function documentByRequest(companyId: string, requestId: string): Promise<XeroJson> {
  const page = await rest('GET', '/v1/documents?pageSize=200', bearer(companyId));
  const found = (page.body['items'] as XeroJson[]).find((d) => d['requestId'] === requestId);
  if (!found) throw new Error(`no document for ${requestId}`);
  return found;
}

beforeAll(async () => {
  const watched = [Topics.InvoiceRequested, Topics.ContactSynced, Topics.ContactSyncFailed, Topics.InvoiceCreated, Topics.InvoiceFailed, Topics.ContactSyncRequested];
  await harness.start([...watched, deadLetterTopic(Topics.InvoiceRequested)], {
    OPERATIONS_INTERVAL_MS: '100',
    OPERATIONS_LINGER_MS: '300',
    OPERATIONS_RETRY_BASE_MS: '200',
    OPERATIONS_RETRY_MAX_MS: '1000',
    OPERATIONS_LEASE_MS: '3000',
  });
});

afterAll(async () => {
  await harness.stop();
});

describe('invoices from invoice.requested to Xero', () => {
  it('creates one invoice for a known contact with its contact, lines and totals, and announces the Xero id and number', async () => {
    const { companyId, org } = await connectedCompany('known');
    const contactId = await org.createContact('Aroha Builders');
    await publish(Topics.ContactSynced, companyId, { clientId: 'client-known', xeroContactId: contactId, contactName: 'Aroha Builders', action: 'created' });

    const request = invoiceRequest('client-known', {
      lineItems: [
        { description: 'Call-out', quantity: '1', unitAmount: '65.00', accountCode: '200', taxType: 'OUTPUT2' },
        { description: 'Labour', quantity: '2', unitAmount: '95.00', accountCode: '200', discountRate: '10', tracking: [{ name: 'Region', option: 'North' }] },
      ],
      lineAmountTypes: 'Exclusive',
    } as Partial<InvoiceRequestedPayload>);
    const requested = await publish(Topics.InvoiceRequested, companyId, request);

    const created = await outcomeFor(Topics.InvoiceCreated, companyId, request.requestId);
    // 65.00 + 2 × 95.00 less 10% = 236.00; GST 15% per line: 9.75 + 25.65.
    expect(created.payload).toMatchObject({
      clientId: 'client-known',
      number: 'INV-0001',
      status: 'AUTHORISED',
      subTotal: '236.00',
      totalTax: '35.40',
      total: '271.40',
      amountDue: '271.40',
      currencyCode: 'NZD',
    });
    expect(created.correlationId).toBe(requested.correlationId);
    expect(created.causationId).toBe(requested.id);

    const invoices = await org.invoices();
    expect(invoices).toHaveLength(1);
    const [invoice] = invoices;
    expect(invoice).toMatchObject({
      InvoiceID: created.payload['xeroId'],
      InvoiceNumber: 'INV-0001',
      Type: 'ACCREC',
      Reference: request.reference,
      Total: 271.4,
      Status: 'AUTHORISED',
    });
    expect((invoice['Contact'] as XeroJson)['ContactID']).toBe(contactId);
    expect((invoice['LineItems'] as XeroJson[]).map((l) => [l['Description'], l['Quantity'], l['UnitAmount'], l['AccountCode'], l['LineAmount']])).toEqual([
      ['Call-out', 1, 65, '200', 65],
      ['Labour', 2, 95, '200', 171],
    ]);
    expect((invoice['LineItems'] as XeroJson[])[1]['Tracking']).toEqual([expect.objectContaining({ Name: 'Region', Option: 'North' })]);

    const record = await documentByRequest(companyId, request.requestId);
    expect(record).toMatchObject({
      type: 'invoice',
      status: 'created',
      attempt: 1,
      xero: { id: created.payload['xeroId'], number: 'INV-0001', status: 'AUTHORISED', contactId },
      totals: { total: '271.40' },
      lastError: null,
    });
  });

  it('parks invoices for an unknown client, asks for the contact once, and resumes them all on contact.synced', async () => {
    const { companyId, org } = await connectedCompany('saga');
    const first = invoiceRequest('client-new');
    const second = invoiceRequest('client-new');
    await publish(Topics.InvoiceRequested, companyId, first);
    const secondEvent = await publish(Topics.InvoiceRequested, companyId, second);

    await eventually('both invoices to wait for the contact', async () => {
      const page = await rest('GET', '/v1/documents?status=waiting_contact', bearer(companyId));
      return page.body['total'] === 2;
    });
    // The request leaves through the outbox after the documents are parked: it is awaited, and counted again at the end.
    const syncRequests = await eventually('the contact asked for', () => {
      const found = outcomes(Topics.ContactSyncRequested, companyId);
      return found.length > 0 && found;
    });
    expect(syncRequests.map((e) => e.payload.clientId)).toEqual(['client-new']);

    const contactId = await org.createContact('New Client');
    await publish(Topics.ContactSynced, companyId, { clientId: 'client-new', xeroContactId: contactId, contactName: 'New Client', action: 'created' });

    const [createdFirst, createdSecond] = await Promise.all([
      outcomeFor(Topics.InvoiceCreated, companyId, first.requestId),
      outcomeFor(Topics.InvoiceCreated, companyId, second.requestId),
    ]);
    expect(createdSecond.causationId).toBe(secondEvent.id);
    const invoices = await org.invoices();
    expect(invoices.map((i) => i['InvoiceID']).sort()).toEqual([createdFirst.payload['xeroId'], createdSecond.payload['xeroId']].sort());
    expect(invoices.every((i) => (i['Contact'] as XeroJson)['ContactID'] === contactId)).toBe(true);
    expect(outcomes(Topics.ContactSyncRequested, companyId)).toHaveLength(1);
  });

  it("fails the waiting invoices with the contact's reason when contact.sync_failed arrives", async () => {
    const { companyId, org } = await connectedCompany('nosync');
    const request = invoiceRequest('client-broken');
    await publish(Topics.InvoiceRequested, companyId, request);
    await eventually('the contact sync request', () => outcomes(Topics.ContactSyncRequested, companyId).length === 1);
    await publish(Topics.ContactSyncFailed, companyId, { clientId: 'client-broken', failure: { code: 'XERO_VALIDATION', messages: ['Email address must be valid.'] } });

    const failed = await outcomeFor(Topics.InvoiceFailed, companyId, request.requestId);
    expect(failed.payload['failure']).toEqual({
      code: 'CONTACT_SYNC_FAILED',
      messages: ['The contact for client client-broken could not be synced (XERO_VALIDATION)', 'Email address must be valid.'],
    });
    expect(await documentByRequest(companyId, request.requestId)).toMatchObject({ status: 'failed', lastError: { code: 'CONTACT_SYNC_FAILED' } });
    expect(await org.invoiceWrites()).toHaveLength(0);
  });

  it('gives the same invoice.requested delivered twice (and a re-sent request id) one invoice', async () => {
    const { companyId, org } = await connectedCompany('twice');
    const contactId = await org.createContact('Twice Customer');
    await publish(Topics.ContactSynced, companyId, { clientId: 'client-twice', xeroContactId: contactId, contactName: 'Twice Customer', action: 'matched' });
    const request = invoiceRequest('client-twice');
    const event = createEvent(Topics.InvoiceRequested, companyId, request);
    const value = JSON.stringify(event);
    await harness.probe.send(topic(Topics.InvoiceRequested), [
      { key: companyId, value },
      { key: companyId, value },
    ]);
    await publish(Topics.InvoiceRequested, companyId, request);

    await outcomeFor(Topics.InvoiceCreated, companyId, request.requestId);
    const marker = invoiceRequest('client-twice');
    await publish(Topics.InvoiceRequested, companyId, marker);
    await outcomeFor(Topics.InvoiceCreated, companyId, marker.requestId);

    const invoices = await org.invoices();
    expect(invoices.filter((i) => i['Reference'] === request.reference)).toHaveLength(1);
    expect(invoices).toHaveLength(2);
    expect(outcomes(Topics.InvoiceCreated, companyId).filter((e) => e.payload.requestId === request.requestId)).toHaveLength(1);
  });

  it('still creates exactly one invoice per request while a third of calls fail with 5xx and 429', async () => {
    const { companyId, org } = await connectedCompany('faulty');
    const contactId = await org.createContact('Faulty Customer');
    await publish(Topics.ContactSynced, companyId, { clientId: 'client-faulty', xeroContactId: contactId, contactName: 'Faulty Customer', action: 'created' });
    // The first two calls surely fail (one 503, one 429); after that about a third of calls do, at random.
    await org.addFault({ errorRate: 1, errorStatus: 503, remaining: 1 });
    await org.addFault({ rateLimitRate: 1, retryAfterSeconds: 1, remaining: 1 });
    await org.addFault({ errorRate: 0.2, errorStatus: 503, rateLimitRate: 0.15, retryAfterSeconds: 1 });

    const requests: InvoiceRequestedPayload[] = [];
    for (let wave = 0; wave < 6; wave++) {
      const batch = Array.from({ length: 5 }, () => invoiceRequest('client-faulty'));
      requests.push(...batch);
      await harness.probe.send(
        topic(Topics.InvoiceRequested),
        batch.map((r) => ({ key: companyId, value: JSON.stringify(createEvent(Topics.InvoiceRequested, companyId, r)) })),
      );
      await new Promise((r) => setTimeout(r, 400));
    }
    await eventually(
      'every request to be created',
      () => requests.every((r) => outcomes(Topics.InvoiceCreated, companyId).some((e) => e.payload.requestId === r.requestId)),
      60_000,
    );
    await org.clearFaults();

    const invoices = await org.invoices();
    expect(invoices.map((i) => i['Reference']).sort()).toEqual(requests.map((r) => r.reference).sort());
    expect(outcomes(Topics.InvoiceCreated, companyId)).toHaveLength(requests.length);
    const writes = await org.invoiceWrites();
    expect(writes.some((c) => c.status === 503)).toBe(true);
    expect(writes.some((c) => c.status === 429)).toBe(true);
  });

  it("fails an invoice with Xero's message for an unknown account, shows it over REST, and a retry after the fix creates it", async () => {
    const { companyId, org } = await connectedCompany('badacct');
    const contactId = await org.createContact('Account Customer');
    await publish(Topics.ContactSynced, companyId, { clientId: 'client-acct', xeroContactId: contactId, contactName: 'Account Customer', action: 'created' });
    const unknownAccount = invoiceRequest('client-acct', {
      lineItems: [{ description: 'Advice', quantity: '3', unitAmount: '120.00', accountCode: '4999' }],
    } as Partial<InvoiceRequestedPayload>);
    const toCorrect = invoiceRequest('client-acct', {
      lineItems: [{ description: 'Parts', quantity: '1', unitAmount: '40.00', accountCode: '4998' }],
    } as Partial<InvoiceRequestedPayload>);
    const fine = invoiceRequest('client-acct');
    await harness.probe.send(
      topic(Topics.InvoiceRequested),
      [unknownAccount, fine, toCorrect].map((r) => ({ key: companyId, value: JSON.stringify(createEvent(Topics.InvoiceRequested, companyId, r)) })),
    );

    const failed = await outcomeFor(Topics.InvoiceFailed, companyId, unknownAccount.requestId);
    expect(failed.payload['failure']).toEqual({ code: 'XERO_VALIDATION', messages: ["Account code '4999' is not a valid code for this document."] });
    await outcomeFor(Topics.InvoiceFailed, companyId, toCorrect.requestId);
    // The three went to Xero in one call; each element's result reached its own document.
    await outcomeFor(Topics.InvoiceCreated, companyId, fine.requestId);
    const { rows: batches } = await harness.db.query(`SELECT "operation_ids" FROM "documents"."xero_operation_batches" WHERE "company_id" = $1`, [companyId]);
    expect(batches.map((b) => b.operation_ids.length)).toEqual([3]);

    const listed = await rest('GET', '/v1/documents?type=invoice&status=failed', bearer(companyId));
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ total: 2, page: 1 });
    expect((listed.body['items'] as XeroJson[]).map((d) => d['requestId']).sort()).toEqual([unknownAccount.requestId, toCorrect.requestId].sort());
    const record = (listed.body['items'] as XeroJson[]).find((d) => d['requestId'] === unknownAccount.requestId)!;
    expect(record).toMatchObject({
      status: 'failed',
      attempt: 1,
      xero: { id: null },
      lastError: { code: 'XERO_VALIDATION', messages: ["Account code '4999' is not a valid code for this document."] },
    });
    const id = record['id'] as string;

    const shown = await rest('GET', `/v1/documents/${id}`, bearer(companyId));
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id, status: 'failed', request: { requestId: unknownAccount.requestId } });
    expect((await rest('GET', `/v1/documents/${id}`, bearer('another-company'))).status).toBe(404);
    expect((await rest('GET', `/v1/documents/${id}`, bearer('another-company', 'practice_admin'))).body).toMatchObject({ code: 'DOCUMENT_NOT_FOUND' });
    expect((await rest('GET', `/v1/documents/${id}?companyId=${companyId}`, bearer('another-company', 'practice_admin'))).status).toBe(404);
    expect((await rest('GET', `/v1/documents/${id}?companyId=${companyId}`, bearer('ledgerline', 'super_admin'))).status).toBe(200);
    expect((await rest('GET', `/v1/documents/${id}`, undefined)).status).toBe(401);
    expect((await rest('GET', `/v1/documents/${id}`, bearer(companyId, 'client'))).status).toBe(403);
    expect((await rest('POST', `/v1/documents/${id}/retry`, bearer('another-company'))).status).toBe(404);

    // Fix the organisation (the account now exists) and retry as is: a new attempt, so a new idempotency key.
    await org.seed({ accounts: [{ Code: '4999', Name: 'Consulting Income', Type: 'REVENUE', TaxType: 'OUTPUT2' }] });
    const retried = await rest('POST', `/v1/documents/${id}/retry`, bearer(companyId));
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ status: 'pending', attempt: 2, lastError: null });
    const created = await outcomeFor(Topics.InvoiceCreated, companyId, unknownAccount.requestId);
    expect(created.payload).toMatchObject({ subTotal: '360.00', totalTax: '54.00', total: '414.00' });
    expect((await rest('POST', `/v1/documents/${id}/retry`, bearer(companyId))).body).toMatchObject({ code: 'DOCUMENT_NOT_RETRIABLE' });

    // Retry the other one with corrected line items; they are validated like an incoming request's.
    const other = (await documentByRequest(companyId, toCorrect.requestId))['id'] as string;
    const invalid = await rest('POST', `/v1/documents/${other}/retry`, bearer(companyId), {
      lineItems: [{ description: 'Parts', quantity: 'one', unitAmount: '40.00' }],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(JSON.stringify(invalid.body['problems'])).toContain('quantity must be a decimal string');
    const corrected = await rest('POST', `/v1/documents/${other}/retry`, bearer(companyId), {
      lineItems: [{ description: 'Parts', quantity: '1', unitAmount: '40.00', accountCode: '200' }],
    });
    expect(corrected.status).toBe(202);
    const createdOther = await outcomeFor(Topics.InvoiceCreated, companyId, toCorrect.requestId);

    const invoices = await org.invoices();
    expect(invoices).toHaveLength(3);
    const correctedInvoice = invoices.find((i) => i['InvoiceID'] === createdOther.payload['xeroId'])!;
    expect((correctedInvoice['LineItems'] as XeroJson[])[0]).toMatchObject({ Description: 'Parts', AccountCode: '200', UnitAmount: 40 });
    expect(await documentByRequest(companyId, toCorrect.requestId)).toMatchObject({ status: 'created', attempt: 2 });
  });

  it('keeps the invoice of a company with no Xero connection as waiting_connection, and creates it once the company connects', async () => {
    const companyId = uniqueId('unconnected-');
    const org = await SandboxOrganisation.create(harness.sandbox.url, 'Later Ltd');
    const contactId = await org.createContact('Later Customer');
    await publish(Topics.ContactSynced, companyId, { clientId: 'client-x', xeroContactId: contactId, contactName: 'Later Customer', action: 'created' });
    const request = invoiceRequest('client-x');
    await publish(Topics.InvoiceRequested, companyId, request);
    const waiting = await eventually('the invoice to wait for a connection', async () => {
      const document = await documentByRequest(companyId, request.requestId);
      return document['status'] === 'waiting_connection' ? document : undefined;
    });
    expect(waiting).toMatchObject({ lastError: { code: 'NOT_CONNECTED', messages: [expect.stringContaining('CONNECTION_NOT_FOUND')] } });
    expect(outcomes(Topics.InvoiceFailed, companyId)).toEqual([]);
    const { rows: parked } = await harness.db.query(`SELECT "status" FROM "documents"."xero_operations" WHERE "company_id" = $1`, [companyId]);
    expect(parked).toEqual([{ status: 'waiting_connection' }]);

    harness.connections.set(companyId, () => org.token());
    await publish(Topics.XeroConnectionConnected, companyId, {
      connectionId: randomUUID(),
      tenantId: org.tenantId,
      organisationName: 'Later Ltd',
      connectedBy: 'user-later',
    });
    const created = await outcomeFor(Topics.InvoiceCreated, companyId, request.requestId);
    expect(created.payload['xeroId']).toEqual(expect.any(String));
    expect(await documentByRequest(companyId, request.requestId)).toMatchObject({ status: 'created', lastError: null });
    expect(await org.invoices()).toHaveLength(1);
    expect(outcomes(Topics.InvoiceCreated, companyId)).toHaveLength(1);
  });

  it("fails the invoice with FORBIDDEN and says so when the connection's scopes do not cover invoices, calling Xero once", async () => {
    const org = await SandboxOrganisation.create(harness.sandbox.url, 'Contacts Only Ltd');
    const companyId = uniqueId('scoped-');
    harness.connections.set(companyId, () => org.token('offline_access accounting.contacts accounting.settings.read'));
    const contactId = await org.createContact('Scoped Customer');
    await publish(Topics.ContactSynced, companyId, { clientId: 'client-scoped', xeroContactId: contactId, contactName: 'Scoped Customer', action: 'created' });
    const request = invoiceRequest('client-scoped');
    await publish(Topics.InvoiceRequested, companyId, request);
    const failed = await outcomeFor(Topics.InvoiceFailed, companyId, request.requestId);
    expect(failed.payload['failure']).toEqual({
      code: 'XERO_FORBIDDEN',
      messages: ["The Xero connection's scopes do not cover this call: reconnect the company with the scopes it needs", 'AuthorizationUnsuccessful', 'Unauthorized'],
    });
    // Refused for its scopes, the call is not repeated and the token is not refreshed over it.
    expect((await org.calls()).filter((c) => c.method === 'PUT' && c.path.includes('/Invoices')).map((c) => c.status)).toEqual([401]);
  });

  it('fails a request Xero could never take at once, with INVALID_REQUEST, without calling Xero', async () => {
    const { companyId, org } = await connectedCompany('invalid');
    const contactId = await org.createContact('Precise Customer');
    await publish(Topics.ContactSynced, companyId, { clientId: 'client-precise', xeroContactId: contactId, contactName: 'Precise Customer', action: 'created' });
    const request = invoiceRequest('client-precise', {
      lineItems: [{ description: 'x', quantity: '1', unitAmount: '123456789012345.1234' }],
    } as Partial<InvoiceRequestedPayload>);
    await publish(Topics.InvoiceRequested, companyId, request);
    const failed = await outcomeFor(Topics.InvoiceFailed, companyId, request.requestId);
    expect(failed.payload['failure']).toEqual({
      code: 'INVALID_REQUEST',
      messages: ['lineItems[0].unitAmount: 123456789012345.1234 has more significant digits than Xero can take'],
    });
    expect(await org.invoiceWrites()).toHaveLength(0);
  });

  it('sends 500 requests for one company to Xero in far fewer calls than invoices, without a 429', async () => {
    const { companyId, org } = await connectedCompany('bulk');
    const contactId = await org.createContact('Bulk Customer');
    await publish(Topics.ContactSynced, companyId, { clientId: 'client-bulk', xeroContactId: contactId, contactName: 'Bulk Customer', action: 'created' });
    const requests = Array.from({ length: 500 }, () => invoiceRequest('client-bulk'));
    const started = Date.now();
    await harness.probe.send(
      topic(Topics.InvoiceRequested),
      requests.map((r) => ({ key: companyId, value: JSON.stringify(createEvent(Topics.InvoiceRequested, companyId, r)) })),
    );
    await eventually('500 invoices to be created', () => outcomes(Topics.InvoiceCreated, companyId).length >= 500, 90_000, 250);
    const elapsed = Date.now() - started;

    const writes = await org.invoiceWrites();
    const invoices = await org.invoices();
    expect(invoices).toHaveLength(500);
    expect(new Set(invoices.map((i) => i['Reference'])).size).toBe(500);
    expect(writes.length).toBeLessThanOrEqual(25);
    expect(writes.filter((c) => c.status === 429)).toEqual([]);
    expect((await org.calls()).filter((c) => c.status === 429)).toEqual([]);
    process.stdout.write(`500 invoices for one company: ${writes.length} createInvoices calls, ${elapsed} ms from publish to the last invoice.created\n`);
  });

  it('resends a persisted batch with the same key after a restart, and creates each invoice once', async () => {
    const { companyId, org } = await connectedCompany('restart');
    const contactId = await org.createContact('Restart Customer');
    await publish(Topics.ContactSynced, companyId, { clientId: 'client-restart', xeroContactId: contactId, contactName: 'Restart Customer', action: 'created' });
    await org.addFault({ errorRate: 1, errorStatus: 503 });
    const requests = Array.from({ length: 3 }, () => invoiceRequest('client-restart'));
    await harness.probe.send(
      topic(Topics.InvoiceRequested),
      requests.map((r) => ({ key: companyId, value: JSON.stringify(createEvent(Topics.InvoiceRequested, companyId, r)) })),
    );

    const before = await eventually('the batch to have failed once', async () => {
      const { rows } = await harness.db.query(
        `SELECT "id", "idempotency_key", "operation_ids", "tries", "last_error" FROM "documents"."xero_operation_batches" WHERE "company_id" = $1`,
        [companyId],
      );
      return rows.length === 1 && rows[0].last_error ? rows[0] : undefined;
    });
    expect(before.operation_ids).toHaveLength(3);
    expect(before.last_error.code).toBe('XERO_UNAVAILABLE');
    expect(await documentByRequest(companyId, requests[0].requestId)).toMatchObject({ status: 'pending', lastError: { code: 'XERO_UNAVAILABLE' } });

    await harness.documents.stop();
    await org.clearFaults();
    harness.documents = await harness.startService('documents');

    await Promise.all(requests.map((r) => outcomeFor(Topics.InvoiceCreated, companyId, r.requestId)));
    const { rows } = await harness.db.query(
      `SELECT "id", "idempotency_key", "operation_ids", "tries", "status" FROM "documents"."xero_operation_batches" WHERE "company_id" = $1`,
      [companyId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: before.id, idempotency_key: before.idempotency_key, operation_ids: before.operation_ids, status: 'done' });
    expect(rows[0].tries).toBeGreaterThan(before.tries);
    expect((await org.invoices()).map((i) => i['Reference']).sort()).toEqual(requests.map((r) => r.reference).sort());
  });

  it('resends the same batch with the same key when the process dies with the call in flight', async () => {
    const { companyId, org } = await connectedCompany('crash');
    const contactId = await org.createContact('Crash Customer');
    await publish(Topics.ContactSynced, companyId, { clientId: 'client-crash', xeroContactId: contactId, contactName: 'Crash Customer', action: 'created' });
    // The call hangs and its connection is dropped unanswered, so it is still in flight when the process dies.
    await org.addFault({ timeoutRate: 1, hangMs: 20_000 });
    const requests = Array.from({ length: 2 }, () => invoiceRequest('client-crash'));
    await harness.probe.send(
      topic(Topics.InvoiceRequested),
      requests.map((r) => ({ key: companyId, value: JSON.stringify(createEvent(Topics.InvoiceRequested, companyId, r)) })),
    );
    const leased = await eventually('the batch to be in flight', async () => {
      const { rows } = await harness.db.query(
        `SELECT "id", "idempotency_key", "tries", "lease_token" FROM "documents"."xero_operation_batches" WHERE "company_id" = $1`,
        [companyId],
      );
      return rows.length === 1 && rows[0].lease_token ? rows[0] : undefined;
    });
    await new Promise((r) => setTimeout(r, 500));
    await harness.documents.stop('SIGKILL');
    await org.clearFaults();
    harness.documents = await harness.startService('documents');

    await Promise.all(requests.map((r) => outcomeFor(Topics.InvoiceCreated, companyId, r.requestId)));
    const { rows } = await harness.db.query(`SELECT "id", "idempotency_key", "tries", "status" FROM "documents"."xero_operation_batches" WHERE "company_id" = $1`, [
      companyId,
    ]);
    expect(rows).toEqual([expect.objectContaining({ id: leased.id, idempotency_key: leased.idempotency_key, status: 'done' })]);
    expect(rows[0].tries).toBeGreaterThan(leased.tries);
    expect((await org.invoices()).map((i) => i['Reference']).sort()).toEqual(requests.map((r) => r.reference).sort());
  });
});
