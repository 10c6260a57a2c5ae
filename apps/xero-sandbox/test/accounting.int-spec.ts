import { Sandbox } from '../src/sandbox';
import { call, organisationWithToken, startSandbox } from './support/sandbox-harness';

type Org = Awaited<ReturnType<typeof organisationWithToken>>;
type Rec = Record<string, unknown>;

describe('accounting API behaviour', () => {
  let sandbox: Sandbox;
  let org: Org;
  let contactId: string;

  const invoice = (overrides: Rec = {}) => ({
    Type: 'ACCREC',
    Contact: { ContactID: contactId },
    LineItems: [{ Description: 'Labour', Quantity: 2, UnitAmount: 50, AccountCode: '200', TaxType: 'OUTPUT2' }],
    Status: 'AUTHORISED',
    ...overrides,
  });

  beforeAll(async () => {
    sandbox = await startSandbox();
    org = await organisationWithToken(sandbox, 'Batch Co');
    const created = await org.api('PUT', '/api.xro/2.0/Contacts', { Contacts: [{ Name: 'Main Customer', EmailAddress: 'main@customer.test' }] });
    contactId = (created.body['Contacts'] as Rec[])[0]['ContactID'] as string;
  });

  afterAll(() => sandbox.close());

  it('summarizeErrors=false: good elements are created, the bad one carries its message', async () => {
    const response = await org.api('PUT', '/api.xro/2.0/Invoices?summarizeErrors=false', {
      Invoices: [invoice({ Reference: 'good-1' }), invoice({ Reference: 'bad', LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 10, AccountCode: '999' }] }), invoice({ Reference: 'good-2' })],
    });
    expect(response.status).toBe(200);
    const elements = response.body['Invoices'] as Rec[];
    expect(elements.map((e) => e['StatusAttributeString'])).toEqual(['OK', 'ERROR', 'OK']);
    expect(elements[1]['ValidationErrors']).toEqual([{ Message: "Account code '999' is not a valid code for this document." }]);
    expect(elements[1]['HasErrors']).toBe(true);
    expect(elements[0]['InvoiceNumber']).toMatch(/^INV-\d{4}$/);
    const stored = await org.api('GET', '/api.xro/2.0/Invoices?where=' + encodeURIComponent('Reference=="good-1" OR Reference=="good-2" OR Reference=="bad"'));
    expect((stored.body['Invoices'] as Rec[]).map((i) => i['Reference']).sort()).toEqual(['good-1', 'good-2']);
  });

  it('by default one bad element fails the whole batch with a 400 ValidationException', async () => {
    const response = await org.api('PUT', '/api.xro/2.0/Contacts', { Contacts: [{ Name: 'Fresh One' }, { Name: 'Main Customer' }] });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred' });
    expect((response.body['Elements'] as Rec[])[0]['ValidationErrors']).toEqual([
      { Message: 'The contact name Main Customer is already assigned to another contact. The contact name must be unique across all active contacts.' },
    ]);
    const fresh = await org.api('GET', `/api.xro/2.0/Contacts?where=${encodeURIComponent('Name=="Fresh One"')}`);
    expect(fresh.body['Contacts']).toEqual([]);
  });

  it('the same Idempotency-Key and body creates one invoice and replays the first response; another body is a 400', async () => {
    const body = { Invoices: [invoice({ Reference: 'idem-1' })] };
    const first = await org.api('PUT', '/api.xro/2.0/Invoices', body, { 'Idempotency-Key': 'key-123' });
    const second = await org.api('PUT', '/api.xro/2.0/Invoices', body, { 'Idempotency-Key': 'key-123' });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const listed = await org.api('GET', `/api.xro/2.0/Invoices?where=${encodeURIComponent('Reference=="idem-1"')}`);
    expect(listed.body['Invoices']).toHaveLength(1);
    const conflict = await org.api('PUT', '/api.xro/2.0/Invoices', { Invoices: [invoice({ Reference: 'idem-2' })] }, { 'Idempotency-Key': 'key-123' });
    expect(conflict.status).toBe(400);
    expect(conflict.body['Message']).toMatch(/Idempotency-Key/);
    // Keys are scoped per organisation: the same key elsewhere is a new request.
    const elsewhere = await organisationWithToken(sandbox, 'Elsewhere');
    const contact = await elsewhere.api('PUT', '/api.xro/2.0/Contacts', { Contacts: [{ Name: 'Someone' }] }, { 'Idempotency-Key': 'key-123' });
    expect(contact.status).toBe(200);
    // After the TTL the key is forgotten.
    await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { minutes: 6, seconds: 1 } });
    const refreshed = await call(sandbox, 'POST', '/__sandbox/tokens', { body: { tenantIds: [org.tenantId] } });
    const later = await call(sandbox, 'PUT', '/api.xro/2.0/Invoices', { body: { Invoices: [invoice({ Reference: 'idem-2' })] }, headers: { authorization: `Bearer ${refreshed.body['access_token']}`, 'xero-tenant-id': org.tenantId, 'Idempotency-Key': 'key-123' } });
    expect(later.status).toBe(200);
    org = { ...org, api: (method, path, b, headers = {}) => call(sandbox, method, path, { body: b, headers: { authorization: `Bearer ${refreshed.body['access_token']}`, 'xero-tenant-id': org.tenantId, ...headers } }) };
  });

  it('keeps the answer to a write whose caller gave up waiting, and replays it to the retry with the same key', async () => {
    const slow = await organisationWithToken(sandbox, 'Slow Co');
    const customer = await slow.api('PUT', '/api.xro/2.0/Contacts', { Contacts: [{ Name: 'Patient Customer' }] });
    const body = { Invoices: [invoice({ Contact: { ContactID: (customer.body['Contacts'] as Rec[])[0]['ContactID'] }, Reference: 'gave-up' })] };
    await call(sandbox, 'POST', '/__sandbox/faults', { body: { tenantId: slow.tenantId, latencyMs: 400, remaining: 1 } });

    // The caller times out during the latency and hangs up; Xero still runs the request.
    const abandoned = fetch(`${sandbox.url}/api.xro/2.0/Invoices`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${slow.accessToken}`, 'xero-tenant-id': slow.tenantId, 'content-type': 'application/json', 'Idempotency-Key': 'gave-up-1' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(200),
    });
    await expect(abandoned).rejects.toThrow();
    // The retry comes after Xero finished the first request: it gets that request's answer, not a second invoice.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const retried = await Promise.race([
      slow.api('PUT', '/api.xro/2.0/Invoices', body, { 'Idempotency-Key': 'gave-up-1' }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the retry was held: the first request never settled its key')), 3_000)),
    ]);
    expect(retried.status).toBe(200);

    const listed = await slow.api('GET', `/api.xro/2.0/Invoices?where=${encodeURIComponent('Reference=="gave-up"')}`);
    expect((listed.body['Invoices'] as Rec[]).map((i) => i['InvoiceID'])).toEqual([(retried.body['Invoices'] as Rec[])[0]['InvoiceID']]);
    const log = (await call(sandbox, 'GET', `/__sandbox/calls?tenantId=${slow.tenantId}`)).body as unknown as Rec[];
    expect(log.filter((c) => c['method'] === 'PUT' && String(c['path']).includes('Invoices')).map((c) => [c['status'], c['idempotentReplay'] ?? false])).toEqual([
      [0, false], // the caller had hung up
      [200, true],
    ]);
  });

  it("answers 401 AuthorizationUnsuccessful to a call the token's scopes do not cover, granular or broad", async () => {
    const tokenWith = async (scope: string) => (await call(sandbox, 'POST', '/__sandbox/tokens', { body: { tenantIds: [org.tenantId], scope } })).body['access_token'] as string;
    const as = (token: string, method: string, path: string, body?: unknown) =>
      call(sandbox, method, path, { body, headers: { authorization: `Bearer ${token}`, 'xero-tenant-id': org.tenantId } });

    const contactsOnly = await tokenWith('offline_access accounting.contacts');
    expect((await as(contactsOnly, 'GET', '/api.xro/2.0/Contacts')).status).toBe(200);
    const refused = await as(contactsOnly, 'GET', '/api.xro/2.0/Invoices');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ Title: 'Unauthorized', Status: 401, Detail: 'AuthorizationUnsuccessful' });
    expect(refused.headers.get('www-authenticate')).toBeNull();

    // A new app's granular scopes: invoices written, payments read but not written.
    const granular = await tokenWith('offline_access accounting.contacts accounting.invoices accounting.payments.read accounting.settings.read');
    expect((await as(granular, 'PUT', '/api.xro/2.0/Invoices', { Invoices: [invoice({ Reference: 'granular' })] })).status).toBe(200);
    expect((await as(granular, 'GET', '/api.xro/2.0/Payments')).status).toBe(200);
    expect((await as(granular, 'PUT', '/api.xro/2.0/Payments', { Payments: [] })).status).toBe(401);

    // An older app's broad scope still opens invoices, but never contacts.
    const broad = await tokenWith('offline_access accounting.transactions');
    expect((await as(broad, 'GET', '/api.xro/2.0/Invoices')).status).toBe(200);
    expect((await as(broad, 'GET', '/api.xro/2.0/Contacts')).status).toBe(401);
  });

  it('computes Inclusive and NoTax totals, and keeps 4dp unit amounts with unitdp=4', async () => {
    const inclusive = await org.api('PUT', '/api.xro/2.0/Invoices', { Invoices: [invoice({ LineAmountTypes: 'Inclusive', LineItems: [{ Description: 'a', Quantity: 1, UnitAmount: 115, AccountCode: '200' }] })] });
    expect((inclusive.body['Invoices'] as Rec[])[0]).toMatchObject({ SubTotal: 100, TotalTax: 15, Total: 115, AmountDue: 115 });
    const noTax = await org.api('PUT', '/api.xro/2.0/Invoices?unitdp=4', { Invoices: [invoice({ LineAmountTypes: 'NoTax', LineItems: [{ Description: 'b', Quantity: 3, UnitAmount: 1.23456, AccountCode: '200' }] })] });
    const created = (noTax.body['Invoices'] as Rec[])[0];
    expect(created).toMatchObject({ SubTotal: 3.7, TotalTax: 0, Total: 3.7 });
    expect((created['LineItems'] as Rec[])[0]).toMatchObject({ UnitAmount: 1.2346, LineAmount: 3.7, TaxType: 'NONE' });
  });

  it('applies Xero status rules: delete drafts, void authorised, nothing once paid; deleting a payment reverses it', async () => {
    const draft = ((await org.api('PUT', '/api.xro/2.0/Invoices', { Invoices: [invoice({ Status: 'DRAFT' })] })).body['Invoices'] as Rec[])[0];
    const deleted = await org.api('POST', `/api.xro/2.0/Invoices/${draft['InvoiceID']}`, { Invoices: [{ Status: 'DELETED' }] });
    expect((deleted.body['Invoices'] as Rec[])[0]['Status']).toBe('DELETED');

    const authorised = ((await org.api('PUT', '/api.xro/2.0/Invoices', { Invoices: [invoice()] })).body['Invoices'] as Rec[])[0];
    const cannotDelete = await org.api('POST', `/api.xro/2.0/Invoices/${authorised['InvoiceID']}`, { Invoices: [{ Status: 'DELETED' }] });
    expect(cannotDelete.status).toBe(400);
    expect(cannotDelete.body['Elements']).toEqual([expect.objectContaining({ ValidationErrors: [{ Message: 'Invoice not of valid status for modification' }] })]);

    const payment = await org.api('PUT', '/api.xro/2.0/Payments', { Invoice: { InvoiceID: authorised['InvoiceID'] }, Account: { Code: '090' }, Amount: 115, Date: '2026-04-01' });
    expect(payment.status).toBe(200);
    const paymentId = (payment.body['Payments'] as Rec[])[0]['PaymentID'];
    const paid = (await org.api('GET', `/api.xro/2.0/Invoices/${authorised['InvoiceID']}`)).body['Invoices'] as Rec[];
    expect(paid[0]).toMatchObject({ Status: 'PAID', AmountDue: 0, AmountPaid: 115, FullyPaidOnDate: '/Date(1775001600000+0000)/' });
    const cannotVoid = await org.api('POST', `/api.xro/2.0/Invoices/${authorised['InvoiceID']}`, { Invoices: [{ Status: 'VOIDED' }] });
    expect(cannotVoid.body['Elements']).toEqual([expect.objectContaining({ ValidationErrors: [{ Message: 'This document cannot be edited as it has a payment or credit note allocated to it.' }] })]);
    const overpay = await org.api('PUT', '/api.xro/2.0/Payments', { Invoice: { InvoiceID: authorised['InvoiceID'] }, Account: { Code: '090' }, Amount: 1 });
    expect(overpay.status).toBe(400);

    const reversed = await org.api('POST', `/api.xro/2.0/Payments/${paymentId}`, { Payments: [{ Status: 'DELETED' }] });
    expect((reversed.body['Payments'] as Rec[])[0]['Status']).toBe('DELETED');
    const reopened = ((await org.api('GET', `/api.xro/2.0/Invoices/${authorised['InvoiceID']}`)).body['Invoices'] as Rec[])[0];
    expect(reopened).toMatchObject({ Status: 'AUTHORISED', AmountDue: 115, AmountPaid: 0, Payments: [] });
    const voided = await org.api('POST', `/api.xro/2.0/Invoices/${authorised['InvoiceID']}`, { Invoices: [{ Status: 'VOIDED' }] });
    expect((voided.body['Invoices'] as Rec[])[0]).toMatchObject({ Status: 'VOIDED', AmountDue: 0 });
  });

  it('lists with paging, IDs, Statuses, ContactNumber filters, If-Modified-Since and 404s', async () => {
    const batch = await org.api('PUT', '/api.xro/2.0/Contacts', { Contacts: Array.from({ length: 5 }, (_, i) => ({ Name: `Paged ${i}`, ContactNumber: `P-${i}` })) });
    const ids = (batch.body['Contacts'] as Rec[]).map((c) => c['ContactID'] as string);
    const page = await org.api('GET', `/api.xro/2.0/Contacts?page=2&pageSize=2&where=${encodeURIComponent('Name.StartsWith("Paged")')}`);
    expect(page.body['pagination']).toEqual({ page: 2, pageSize: 2, pageCount: 3, itemCount: 5 });
    expect((page.body['Contacts'] as Rec[]).map((c) => c['Name'])).toEqual(['Paged 2', 'Paged 3']);
    const byIds = await org.api('GET', `/api.xro/2.0/Contacts?IDs=${ids[0]},${ids[4].toUpperCase()}`);
    expect((byIds.body['Contacts'] as Rec[]).map((c) => c['Name'])).toEqual(['Paged 0', 'Paged 4']);
    const byNumber = await org.api('GET', `/api.xro/2.0/Contacts?where=${encodeURIComponent('ContactNumber=="P-3" || ContactNumber=="P-1"')}`);
    expect((byNumber.body['Contacts'] as Rec[]).map((c) => c['Name'])).toEqual(['Paged 1', 'Paged 3']);
    const voided = await org.api('GET', '/api.xro/2.0/Invoices?Statuses=VOIDED,DELETED');
    expect(new Set((voided.body['Invoices'] as Rec[]).map((i) => i['Status']))).toEqual(new Set(['VOIDED', 'DELETED']));
    const byContact = await org.api('GET', `/api.xro/2.0/Invoices?where=${encodeURIComponent(`Contact.ContactID==guid("${contactId}") && Status=="VOIDED"`)}`);
    expect(byContact.body['Invoices']).toHaveLength(1);

    await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { seconds: 5 } });
    const since = new Date(Date.now() + (((await call(sandbox, 'GET', '/__sandbox/clock')).body['offsetMs'] as number) ?? 0)).toUTCString();
    await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { seconds: 2 } });
    await org.api('POST', `/api.xro/2.0/Contacts/${ids[2]}`, { Contacts: [{ EmailAddress: 'changed@paged.test' }] });
    const modified = await org.api('GET', '/api.xro/2.0/Contacts', undefined, { 'If-Modified-Since': since });
    expect((modified.body['Contacts'] as Rec[]).map((c) => c['ContactID'])).toEqual([ids[2]]);

    const missing = await org.api('GET', '/api.xro/2.0/Contacts/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    const badWhere = await org.api('GET', `/api.xro/2.0/Contacts?where=${encodeURIComponent('Name ~ "x"')}`);
    expect(badWhere.status).toBe(400);
    const unknownResource = await org.api('GET', '/api.xro/2.0/Widgets');
    expect(unknownResource.status).toBe(404);
  });

  it("filters quotes by DateFrom, DateTo, ContactID and Status, purchase orders by Status and dates, as Xero's GET takes them", async () => {
    const other = await org.api('PUT', '/api.xro/2.0/Contacts', { Contacts: [{ Name: 'Quote Filter Other' }] });
    const otherId = (other.body['Contacts'] as Rec[])[0]['ContactID'] as string;
    const line = [{ Description: 'Quoted', Quantity: 1, UnitAmount: 10, AccountCode: '200' }];
    await org.api('PUT', '/api.xro/2.0/Quotes', {
      Quotes: [
        { Contact: { ContactID: contactId }, Date: '2026-04-01', LineItems: line, Reference: 'qf-1', Status: 'SENT' },
        { Contact: { ContactID: contactId }, Date: '2026-04-02', LineItems: line, Reference: 'qf-2' },
        { Contact: { ContactID: otherId }, Date: '2026-04-01', LineItems: line, Reference: 'qf-3' },
      ],
    });
    const quotes = async (query: string) => ((await org.api('GET', `/api.xro/2.0/Quotes?${query}`)).body['Quotes'] as Rec[]).map((q) => q['Reference']).filter((r) => String(r).startsWith('qf-')).sort();
    expect(await quotes(`ContactID=${contactId}&DateFrom=2026-04-01&DateTo=2026-04-01`)).toEqual(['qf-1']);
    expect(await quotes(`ContactID=${contactId}`)).toEqual(['qf-1', 'qf-2']);
    expect(await quotes('DateFrom=2026-04-01&DateTo=2026-04-01')).toEqual(['qf-1', 'qf-3']);
    expect(await quotes('Status=SENT')).toEqual(['qf-1']);

    const poLine = [{ Description: 'Bought', Quantity: 2, UnitAmount: 5, AccountCode: '310' }];
    await org.api('PUT', '/api.xro/2.0/PurchaseOrders', {
      PurchaseOrders: [
        { Contact: { ContactID: contactId }, Date: '2026-04-05', LineItems: poLine, Reference: 'pf-1', Status: 'AUTHORISED' },
        { Contact: { ContactID: contactId }, Date: '2026-04-06', LineItems: poLine, Reference: 'pf-2' },
      ],
    });
    const orders = async (query: string) =>
      ((await org.api('GET', `/api.xro/2.0/PurchaseOrders?${query}`)).body['PurchaseOrders'] as Rec[]).map((o) => o['Reference']).filter((r) => String(r).startsWith('pf-')).sort();
    expect(await orders('DateFrom=2026-04-06&DateTo=2026-04-30')).toEqual(['pf-2']);
    expect(await orders('Status=AUTHORISED')).toEqual(['pf-1']);
  });
});
