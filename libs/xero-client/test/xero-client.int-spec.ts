import { createHash, randomUUID } from 'node:crypto';
import { ConnectionsStandIn, createTestDatabase, freePort, SandboxOrganisation, SandboxTestApi, ServiceProcess, startServiceProcess, TestDatabase } from '@ledgerline/testing';
import { Pool } from 'pg';
import { Contact, Invoice, LineAmountTypes } from 'xero-node';
import { ProjectStatus } from 'xero-node/dist/gen/model/projects/models';
import { budgetSchemaUpSql } from '../src/budget/budget-schema.sql';
import { createXeroClient, XeroClientHandle } from '../src/client/create-xero-client';
import { XeroClientService } from '../src/client/xero-client.service';
import { XeroErrorCode } from '../src/errors/xero-error-code';
import { idempotencyKey } from '../src/retry/idempotency-key';

// Each file starts its own sandbox (and services); on a loaded machine that outlasts Jest's 5 s default.
jest.setTimeout(60_000);
const schema = 'xero_budget';

describe('XeroClientService against the real sandbox', () => {
  let database: TestDatabase;
  let sandbox: ServiceProcess;
  let api: SandboxTestApi;
  let connections: ConnectionsStandIn;
  let pool: Pool;
  let handle: XeroClientHandle;
  let xero: XeroClientService;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 4 });
    for (const sql of budgetSchemaUpSql(schema)) await pool.query(sql);
    sandbox = await startServiceProcess({ entry: 'apps/xero-sandbox/src/main.ts', port: await freePort(), readyPath: '/health/live', env: { LOG_LEVEL: 'warn' } });
    api = new SandboxTestApi(sandbox.url);
    connections = new ConnectionsStandIn();
    await connections.start();
    handle = createXeroClient({
      config: {
        apiBaseUrl: sandbox.url,
        connectionsInternalUrl: connections.url,
        internalApiToken: connections.internalToken,
        budgetSchema: schema,
        requestTimeoutMs: 1_000,
        limits: { leaseTtlMs: 5_000 },
        retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 500 },
      },
      pool,
    });
    xero = handle.client;
  }, 60_000);

  afterAll(async () => {
    await handle?.close();
    await connections?.stop();
    await sandbox?.stop();
    await pool?.end();
    await database?.drop();
  });

  /** A fresh organisation and a company connected to it, so tests never share state or faults. */
  async function connectedCompany(name: string): Promise<{ companyId: string; org: SandboxOrganisation }> {
    const org = await SandboxOrganisation.create(sandbox.url, name);
    const companyId = `company-${randomUUID()}`;
    connections.set(companyId, () => org.token());
    return { companyId, org };
  }

  const line = { description: 'Consulting', quantity: 2, unitAmount: 150, accountCode: '200' };

  it('creates a batch of invoices with one bad element and maps each result to its request', async () => {
    const { companyId } = await connectedCompany('Batch Org');
    const [contact] = await xero.createContacts(companyId, [{ name: 'Batch Customer' }]);
    expect(contact.ok).toBe(true);
    const contactID = contact.ok ? contact.record.contactID : undefined;

    const invoices = [
      { type: Invoice.TypeEnum.ACCREC, contact: { contactID }, lineItems: [line], reference: 'first', lineAmountTypes: LineAmountTypes.Exclusive },
      { contact: { contactID }, lineItems: [line], reference: 'no type' } as Invoice,
      { type: Invoice.TypeEnum.ACCREC, contact: { contactID }, lineItems: [line], reference: 'third' },
    ];
    const results = await xero.createInvoices(companyId, invoices, { idempotencyKey: idempotencyKey('test', 'batch', randomUUID()) });

    expect(results.map((r) => [r.index, r.ok])).toEqual([[0, true], [1, false], [2, true]]);
    const [first, second, third] = results;
    expect(first.ok && first.record.reference).toBe('first');
    expect(third.ok && third.record.reference).toBe('third');
    expect(!second.ok && second.messages).toEqual(['Invoice Type must be specified.']);

    const ids = [first, third].map((r) => (r.ok ? r.record.invoiceID! : ''));
    const listed = await xero.listInvoices(companyId, { ids });
    expect(listed.items.map((i) => i.reference).sort()).toEqual(['first', 'third']);
  });

  it('keeps unit amounts to 4 decimal places, writing and reading', async () => {
    const { companyId } = await connectedCompany('Fine Prices Org');
    const [contact] = await xero.createContacts(companyId, [{ name: 'Metered Customer' }]);
    const contactID = contact.ok ? contact.record.contactID : undefined;
    const metered = { description: 'Metered water, m³', quantity: 3, unitAmount: 10.3333, accountCode: '200', taxType: 'NONE' };
    const [created] = await xero.createInvoices(companyId, [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID }, lineItems: [metered] }], {
      idempotencyKey: idempotencyKey('test', 'unitdp', randomUUID()),
    });
    // 3 × 10.3333 = 30.9999 → 31.00; rounded to 2 places first it would be 3 × 10.33 = 30.99.
    expect(created.ok && [created.record.lineItems?.[0].unitAmount, created.record.total]).toEqual([10.3333, 31]);
    const read = await xero.getInvoice(companyId, created.ok ? created.record.invoiceID! : '');
    expect([read.lineItems?.[0].unitAmount, read.lineItems?.[0].lineAmount]).toEqual([10.3333, 31]);
  });

  it('maps per-element contact errors, finds by email and name, and pages with If-Modified-Since', async () => {
    const { companyId } = await connectedCompany('Contacts Org');
    const before = new Date(Date.now() - 1_000);
    const contacts: Contact[] = [
      { name: 'Ada Lovelace', emailAddress: 'ada@example.test' },
      { name: '', emailAddress: 'nobody@example.test' },
      { name: 'Grace Hopper', emailAddress: 'not-an-email' },
      { name: 'Alan Turing', emailAddress: 'alan@example.test' },
    ];
    const results = await xero.createContacts(companyId, contacts, { idempotencyKey: idempotencyKey('test', 'contacts', randomUUID()) });
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(!results[1].ok && results[1].messages).toEqual(['Contact Name cannot be empty.']);
    expect(!results[2].ok && results[2].messages).toEqual(['Email address must be valid.']);

    const ada = results[0].ok ? results[0].record : undefined;
    expect((await xero.findContactsByEmail(companyId, 'ada@example.test')).map((c) => c.contactID)).toEqual([ada?.contactID]);
    expect((await xero.findContactsByName(companyId, 'Alan Turing')).map((c) => c.emailAddress)).toEqual(['alan@example.test']);
    expect(await xero.findContactsByEmail(companyId, 'ghost@example.test')).toEqual([]);

    const firstPage = await xero.listContacts(companyId, { ifModifiedSince: before, pageSize: 1 });
    expect(firstPage).toMatchObject({ page: 1, pageSize: 1, hasMore: true });
    const all = [];
    for await (const page of xero.iterateContacts(companyId, { ifModifiedSince: before, pageSize: 1 })) all.push(...page);
    expect(all.map((c) => c.name).sort()).toEqual(['Ada Lovelace', 'Alan Turing']);
    const none = await xero.listContacts(companyId, { ifModifiedSince: new Date(Date.now() + 60_000) });
    expect(none.items).toEqual([]);

    const updated = await xero.updateContact(companyId, ada!.contactID!, { firstName: 'Ada', lastName: 'Lovelace' });
    expect(updated.firstName).toBe('Ada');
    expect((await xero.getContactsByIds(companyId, [ada!.contactID!]))[0].lastName).toBe('Lovelace');
  });

  it('retries through a 429 storm, waiting out Retry-After', async () => {
    const { companyId, org } = await connectedCompany('Storm Org');
    await xero.getOrganisation(companyId);
    await org.addFault({ rateLimitRate: 1, retryAfterSeconds: 1, remaining: 2 });
    const started = Date.now();
    const organisation = await xero.getOrganisation(companyId);
    expect(organisation.name).toBe('Storm Org');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(await org.counters()).toMatchObject({ rateLimited: 2 });
  });

  it('retries 5xx faults and timeouts on reads', async () => {
    const { companyId, org } = await connectedCompany('Faulty Org');
    await org.addFault({ errorRate: 1, errorStatus: 503, remaining: 2 });
    expect((await xero.getOrganisation(companyId)).name).toBe('Faulty Org');

    await org.addFault({ timeoutRate: 1, hangMs: 2_000, remaining: 1 });
    const started = Date.now();
    expect((await xero.getOrganisation(companyId)).name).toBe('Faulty Org');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const counters = await org.counters();
    expect(counters.errors).toBeGreaterThanOrEqual(2);
  });

  it('repeats a write that timed out with the same Idempotency-Key, and Xero creates one invoice', async () => {
    const { companyId, org } = await connectedCompany('Idempotent Org');
    const [contact] = await xero.createContacts(companyId, [{ name: 'Once Only Ltd' }]);
    const contactID = contact.ok ? contact.record.contactID : undefined;
    const reference = `once-${randomUUID()}`;
    const invoice: Invoice = { type: Invoice.TypeEnum.ACCREC, contact: { contactID }, lineItems: [line], reference };
    const key = idempotencyKey('invoice.requested', reference);

    // The first attempt is held past our 1 s deadline but still processed by Xero; the retry must not add one.
    await org.addFault({ latencyMs: 1_500, remaining: 1 });
    const [created] = await xero.createInvoices(companyId, [invoice], { idempotencyKey: key });
    expect(created.ok).toBe(true);
    // A redelivery of the same event later sends the same key again.
    const [again] = await xero.createInvoices(companyId, [invoice], { idempotencyKey: key });
    expect(again.ok && again.record.invoiceID).toBe(created.ok && created.record.invoiceID);

    const matching = (await xero.listInvoices(companyId, { where: `Reference=="${reference}"` })).items;
    expect(matching).toHaveLength(1);
    // Xero really was asked three times: the attempt that timed out, its retry, and the redelivery.
    const writes = (await org.calls()).filter((c) => c.endpoint === 'PUT /api.xro/2.0/Invoices');
    expect(writes).toHaveLength(3);
  });

  it('does not repeat a write without a key after an ambiguous failure', async () => {
    const { companyId, org } = await connectedCompany('No Key Org');
    await org.addFault({ errorRate: 1, errorStatus: 502, remaining: 1 });
    await expect(xero.createContacts(companyId, [{ name: 'Maybe Ltd' }])).rejects.toMatchObject({ code: XeroErrorCode.Upstream, status: 502, retriable: true });
    expect((await org.counters()).calls).toBe(1);
  });

  it('cancels invoices: DRAFT is deleted, AUTHORISED is voided, the wrong one is a VALIDATION error', async () => {
    const { companyId } = await connectedCompany('Cancel Org');
    const [contact] = await xero.createContacts(companyId, [{ name: 'Cancel Customer' }]);
    const contactID = contact.ok ? contact.record.contactID : undefined;
    const [draft, authorised] = await xero.createInvoices(companyId, [
      { type: Invoice.TypeEnum.ACCREC, contact: { contactID }, lineItems: [line], status: Invoice.StatusEnum.DRAFT },
      { type: Invoice.TypeEnum.ACCREC, contact: { contactID }, lineItems: [line], status: Invoice.StatusEnum.AUTHORISED, dueDate: '2030-01-31', date: '2030-01-01' },
    ]);
    const draftId = draft.ok ? draft.record.invoiceID! : '';
    const authorisedId = authorised.ok ? authorised.record.invoiceID! : '';
    await expect(xero.updateInvoiceStatus(companyId, authorisedId, 'DELETED')).rejects.toMatchObject({ code: XeroErrorCode.Validation, retriable: false });
    expect(String((await xero.updateInvoiceStatus(companyId, draftId, 'DELETED')).status)).toBe('DELETED');
    expect(String((await xero.updateInvoiceStatus(companyId, authorisedId, 'VOIDED')).status)).toBe('VOIDED');
    const voided = await xero.listInvoices(companyId, { statuses: ['VOIDED'] });
    expect(voided.items.map((i) => i.invoiceID)).toEqual([authorisedId]);
    expect((await xero.getInvoice(companyId, draftId)).invoiceID).toBe(draftId);
  });

  it('creates quotes, purchase orders and projects, reads payments', async () => {
    const { companyId } = await connectedCompany('Documents Org');
    const [contact] = await xero.createContacts(companyId, [{ name: 'Documents Customer' }]);
    const contactID = contact.ok ? contact.record.contactID! : '';
    const [quote] = await xero.createQuotes(companyId, [{ contact: { contactID }, lineItems: [line], date: '2030-01-01' }]);
    expect(quote.ok).toBe(true);
    const [order] = await xero.createPurchaseOrders(companyId, [{ contact: { contactID }, lineItems: [line], date: '2030-01-01' }]);
    expect(order.ok).toBe(true);

    const project = await xero.createProject(companyId, { contactId: contactID, name: 'Kitchen refit', estimateAmount: 1000 }, { idempotencyKey: idempotencyKey('job.assigned', randomUUID()) });
    expect(project.name).toBe('Kitchen refit');
    await xero.updateProjectStatus(companyId, project.projectId!, ProjectStatus.CLOSED);
    expect(String((await xero.getProject(companyId, project.projectId!)).status)).toBe('CLOSED');

    const payments = await xero.listPayments(companyId, { pageSize: 100 });
    expect(payments.items).toEqual([]);
    await expect(xero.getPayment(companyId, randomUUID())).rejects.toMatchObject({ code: XeroErrorCode.NotFound, retriable: false });
  });

  it('drops a token Xero rejects (401) and succeeds with a fresh one', async () => {
    const org = await SandboxOrganisation.create(sandbox.url, 'Rotated Org');
    let issued = 0;
    const before = connections.requests.length;
    connections.set('company-rotated', async () => {
      issued += 1;
      const token = await org.token();
      // The first token handed out is stale (revoked, say): Xero answers 401 to it.
      return issued === 1 ? { ...token, accessToken: `${token.accessToken}x` } : token;
    });
    expect((await xero.getOrganisation('company-rotated')).name).toBe('Rotated Org');
    expect(connections.requests.length - before).toBe(2);
  });

  /** base64url SHA-256, computed here as the connections service does, independently of the library. */
  const fingerprint = (token: string) => createHash('sha256').update(token, 'utf8').digest('base64url');

  /** Calls the sandbox answered 401 (they carry no tenant: the token is checked first). */
  const refusedCalls = async () => (await api.calls()).filter((c) => c.status === 401 && c.endpoint === 'GET /api.xro/2.0/Organisation').length;

  /** A company the stand-in serves by the connections service's rule: a report of the current token refreshes it. */
  async function ruledCompany(name: string) {
    const org = await SandboxOrganisation.create(sandbox.url, name);
    const companyId = `company-${randomUUID()}`;
    const initial = await org.token();
    const connection = connections.connect(companyId, { token: initial, refresh: () => org.token() });
    return { org, companyId, initial, connection };
  }

  it('reports a token Xero revoked early (401) by its fingerprint, and succeeds with the one the service refreshed', async () => {
    const { org, companyId, initial, connection } = await ruledCompany('Revoked Token Org');
    expect((await xero.getOrganisation(companyId)).name).toBe('Revoked Token Org');

    // The cached token is still valid by its stated expiry, but Xero no longer accepts it.
    await api.revokeToken(initial.accessToken);
    const refusedBefore = await refusedCalls();
    const callsBefore = (await org.counters()).calls;
    expect((await xero.getOrganisation(companyId)).name).toBe('Revoked Token Org');

    expect(connections.requests.filter((r) => r.companyId === companyId)).toEqual([{ companyId }, { companyId, rejected: fingerprint(initial.accessToken) }]);
    expect(connection.refreshes).toBe(1);
    // Xero refused one call (before knowing the tenant) and served the one with the new token.
    expect((await refusedCalls()) - refusedBefore).toBe(1);
    expect((await org.counters()).calls - callsBefore).toBe(1);
  });

  it('makes concurrent calls that all saw the revoked token report it once', async () => {
    const { companyId, initial, connection } = await ruledCompany('Busy Revoked Org');
    await xero.getOrganisation(companyId);
    await api.revokeToken(initial.accessToken);

    const names = await Promise.all(Array.from({ length: 5 }, () => xero.getOrganisation(companyId)));

    expect(names.map((o) => o.name)).toEqual(Array(5).fill('Busy Revoked Org'));
    const reports = connections.requests.filter((r) => r.companyId === companyId && r.rejected !== undefined);
    expect(reports).toEqual([{ companyId, rejected: fingerprint(initial.accessToken) }]);
    expect(connection.refreshes).toBe(1);
  });

  it('maps a connection the rejection report found expired to NOT_CONNECTED', async () => {
    const { companyId, initial, connection } = await ruledCompany('Gone Grant Org');
    // The connections service tries to refresh, Xero refuses the refresh token: 409 CONNECTION_EXPIRED.
    connection.expire();
    await xero.getOrganisation(companyId);
    await api.revokeToken(initial.accessToken);

    await expect(xero.getOrganisation(companyId)).rejects.toMatchObject({ code: XeroErrorCode.NotConnected, reason: 'CONNECTION_EXPIRED', retriable: false });
    expect(connections.requests.filter((r) => r.companyId === companyId)).toEqual([{ companyId }, { companyId, rejected: fingerprint(initial.accessToken) }]);
  });

  it('reports a company without a connection as NOT_CONNECTED without calling Xero', async () => {
    const callsBefore = (await api.counters()).total.calls;
    await expect(xero.getOrganisation('company-never-connected')).rejects.toMatchObject({ code: XeroErrorCode.NotConnected, reason: 'CONNECTION_NOT_FOUND', retriable: false });
    expect((await api.counters()).total.calls).toBe(callsBefore);
  });
});
