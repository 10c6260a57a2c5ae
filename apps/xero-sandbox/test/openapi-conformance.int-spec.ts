import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { Sandbox } from '../src/sandbox';
import { call, organisationWithToken, startSandbox } from './support/sandbox-harness';

/**
 * The sandbox's responses, validated with ajv against Xero's own published OpenAPI descriptions.
 * Those live outside the repository (../shared/xero-openapi); without them this suite is skipped.
 */
// Webhook deliveries run on real timers: on a loaded machine they can take seconds.
jest.setTimeout(30_000);

const repoRoot = resolve(__dirname, '../../..');
const specDir = resolve(repoRoot, '../shared/xero-openapi');
const haveSpecs = existsSync(resolve(specDir, 'xero_accounting.yaml'));
if (!haveSpecs) {
  console.warn(`OpenAPI conformance tests skipped: Xero's OpenAPI descriptions were not found at ${specDir}`);
}

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }>>; components: Record<string, Record<string, unknown>> };

const MS_DATE = /^\/Date\(-?\d+([+-]\d{4})?\)\/$/;

/**
 * An ajv instance that reads Xero's spec honestly:
 * - OpenAPI's numeric formats (double, int32, int64) and byte/binary come from ajv-formats;
 * - `x-is-msdate` / `x-is-msdate-time` are Xero's markers for `/Date(ms+zone)/` strings, enforced as such;
 * - other vendor extensions and OpenAPI annotations (example, externalDocs, x-*) carry no constraint.
 * `identityDateTime` accepts, besides RFC 3339, the offset-less UTC form the identity service sends
 * (`2019-12-07T18:46:19.5165400`, exactly as the identity spec's own example shows).
 */
function buildValidator(doc: Doc, name: string, identityDateTime = false): (schemaRef: string) => ValidateFunction {
  // ajv's strict mode lints how a schema is written (e.g. "properties" without "type: object", which
  // Xero's spec does throughout); it does not change how data is validated, so it is off here.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  if (identityDateTime) {
    ajv.addFormat('date-time', { type: 'string', validate: (v: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?(Z|[+-]\d\d:\d\d)?$/.test(v) && !Number.isNaN(Date.parse(v)) });
  }
  ajv.addKeyword({ keyword: 'x-is-msdate', type: 'string', validate: (enabled: boolean, value: string) => !enabled || MS_DATE.test(value), errors: false });
  ajv.addKeyword({ keyword: 'x-is-msdate-time', type: 'string', validate: (enabled: boolean, value: string) => !enabled || MS_DATE.test(value), errors: false });
  ajv.addSchema({ $id: name, components: doc.components } as object);
  return (schemaRef) => {
    const validate = ajv.getSchema(`${name}${schemaRef}`);
    if (!validate) throw new Error(`No schema ${schemaRef} in ${name}`);
    return validate;
  };
}

function responseSchemaRef(doc: Doc, path: string, method: string, status: string): string {
  let response = doc.paths[path]?.[method]?.responses?.[status];
  if (!response) throw new Error(`${method.toUpperCase()} ${path} has no ${status} response in the spec`);
  if (response.$ref) response = doc.components['responses'][response.$ref.split('/').pop() as string] as typeof response;
  const schema = response.content?.['application/json']?.schema as { $ref?: string; type?: string; items?: { $ref: string } };
  if (schema.$ref) return schema.$ref;
  throw new Error(`Unexpected inline schema for ${method} ${path} ${status}`);
}

(haveSpecs ? describe : describe.skip)('responses conform to Xero OpenAPI descriptions', () => {
  let sandbox: Sandbox;
  let org: Awaited<ReturnType<typeof organisationWithToken>>;
  let accounting: Doc;
  let accountingSchema: (ref: string) => ValidateFunction;
  const ids: Record<string, string> = {};

  const expectValid = (validate: ValidateFunction, body: unknown, label: string) => {
    const valid = validate(body);
    if (!valid) throw new Error(`${label} does not match the spec: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
    expect(valid).toBe(true);
  };
  const expectOperation = async (label: string, specPath: string, method: string, status: string, response: { status: number; body: unknown }) => {
    expect(response.status).toBe(Number(status));
    expectValid(accountingSchema(responseSchemaRef(accounting, specPath, method, status)), response.body, label);
  };

  beforeAll(async () => {
    accounting = parse(readFileSync(resolve(specDir, 'xero_accounting.yaml'), 'utf8')) as Doc;
    accountingSchema = buildValidator(accounting, 'accounting');
    sandbox = await startSandbox();
    org = await organisationWithToken(sandbox, 'Spec Co');
  });

  afterAll(() => sandbox?.close());

  it('contacts: create, create-or-update, list, get', async () => {
    const created = await org.api('PUT', '/api.xro/2.0/Contacts', { Contacts: [{ Name: 'Spec Contact', EmailAddress: 'spec@contact.test', Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '555' }] }] });
    await expectOperation('PUT Contacts', '/Contacts', 'put', '200', created);
    ids['contact'] = ((created.body['Contacts'] as Record<string, unknown>[])[0]['ContactID']) as string;
    await expectOperation('POST Contacts', '/Contacts', 'post', '200', await org.api('POST', '/api.xro/2.0/Contacts', { Contacts: [{ ContactID: ids['contact'], FirstName: 'Spec' }] }));
    await expectOperation('GET Contacts (paged)', '/Contacts', 'get', '200', await org.api('GET', '/api.xro/2.0/Contacts?page=1'));
    await expectOperation('GET Contact', '/Contacts/{ContactID}', 'get', '200', await org.api('GET', `/api.xro/2.0/Contacts/${ids['contact']}`));
  });

  it('invoices: create, per-element errors, validation error, list, get; payments', async () => {
    const line = { Description: 'Work', Quantity: 1.5, UnitAmount: 80, AccountCode: '200', TaxType: 'OUTPUT2', DiscountRate: 10 };
    const created = await org.api('PUT', '/api.xro/2.0/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: ids['contact'] }, Date: '2026-05-01', DueDate: '2026-05-20', Status: 'AUTHORISED', LineItems: [line] }] });
    await expectOperation('PUT Invoices', '/Invoices', 'put', '200', created);
    ids['invoice'] = ((created.body['Invoices'] as Record<string, unknown>[])[0]['InvoiceID']) as string;
    // The check has teeth: an ISO date where Xero sends /Date()/, or an unknown status, is rejected.
    const invoicesSchema = accountingSchema(responseSchemaRef(accounting, '/Invoices', 'put', '200'));
    const first = (created.body['Invoices'] as Record<string, unknown>[])[0];
    expect(invoicesSchema({ Invoices: [{ ...first, Date: '2026-05-01' }] })).toBe(false);
    expect(invoicesSchema({ Invoices: [{ ...first, Status: 'PENDING' }] })).toBe(false);
    expect(invoicesSchema({ Invoices: [{ ...first, InvoiceID: 'not-a-guid' }] })).toBe(false);
    await expectOperation('PUT Invoices summarizeErrors=false', '/Invoices', 'put', '200', await org.api('PUT', '/api.xro/2.0/Invoices?summarizeErrors=false', { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: ids['contact'] }, LineItems: [line] }, { Type: 'ACCREC', Contact: { ContactID: ids['contact'] }, LineItems: [{ ...line, AccountCode: 'NOPE' }] }] }));
    await expectOperation('PUT Invoices 400', '/Invoices', 'put', '400', await org.api('PUT', '/api.xro/2.0/Invoices', { Invoices: [{ Type: 'ACCREC', LineItems: [line] }] }));
    await expectOperation('GET Invoices', '/Invoices', 'get', '200', await org.api('GET', '/api.xro/2.0/Invoices'));
    await expectOperation('GET Invoices (paged)', '/Invoices', 'get', '200', await org.api('GET', '/api.xro/2.0/Invoices?page=1&pageSize=10'));
    await expectOperation('GET Invoice', '/Invoices/{InvoiceID}', 'get', '200', await org.api('GET', `/api.xro/2.0/Invoices/${ids['invoice']}`));
    const payment = await org.api('PUT', '/api.xro/2.0/Payments', { Invoice: { InvoiceID: ids['invoice'] }, Account: { Code: '090' }, Amount: 50, Date: '2026-05-02' });
    await expectOperation('PUT Payments', '/Payments', 'put', '200', payment);
    const paymentId = ((payment.body['Payments'] as Record<string, unknown>[])[0]['PaymentID']) as string;
    await expectOperation('GET Payments', '/Payments', 'get', '200', await org.api('GET', '/api.xro/2.0/Payments'));
    await expectOperation('POST Payment (delete)', '/Payments/{PaymentID}', 'post', '200', await org.api('POST', `/api.xro/2.0/Payments/${paymentId}`, { Payments: [{ Status: 'DELETED' }] }));
  });

  it('quotes and purchase orders', async () => {
    const quote = await org.api('PUT', '/api.xro/2.0/Quotes', { Quotes: [{ Contact: { ContactID: ids['contact'] }, Date: '2026-05-01', ExpiryDate: '2026-06-01', LineItems: [{ Description: 'Quote line', Quantity: 1, UnitAmount: 99.95, AccountCode: '200' }] }] });
    await expectOperation('PUT Quotes', '/Quotes', 'put', '200', quote);
    await expectOperation('GET Quotes', '/Quotes', 'get', '200', await org.api('GET', '/api.xro/2.0/Quotes'));
    const po = await org.api('PUT', '/api.xro/2.0/PurchaseOrders', { PurchaseOrders: [{ Contact: { ContactID: ids['contact'] }, Date: '2026-05-01', DeliveryDate: '2026-05-09', LineItems: [{ Description: 'Pipes', Quantity: 10, UnitAmount: 4.5, AccountCode: '310' }] }] });
    await expectOperation('PUT PurchaseOrders', '/PurchaseOrders', 'put', '200', po);
    await expectOperation('GET PurchaseOrders', '/PurchaseOrders', 'get', '200', await org.api('GET', '/api.xro/2.0/PurchaseOrders'));
  });

  it('credit notes, prepayments and overpayments: create, list, get, allocate', async () => {
    const line = { Description: 'Refund', Quantity: 1, UnitAmount: 10, AccountCode: '200', TaxType: 'OUTPUT2' };
    const invoice = await org.api('PUT', '/api.xro/2.0/Invoices', { Invoices: [{ Type: 'ACCREC', Status: 'AUTHORISED', Contact: { ContactID: ids['contact'] }, LineItems: [{ ...line, UnitAmount: 200 }] }] });
    const invoiceId = ((invoice.body['Invoices'] as Record<string, unknown>[])[0]['InvoiceID']) as string;
    const note = await org.api('PUT', '/api.xro/2.0/CreditNotes', { CreditNotes: [{ Type: 'ACCRECCREDIT', Status: 'AUTHORISED', Contact: { ContactID: ids['contact'] }, Date: '2026-05-03', LineItems: [line] }] });
    await expectOperation('PUT CreditNotes', '/CreditNotes', 'put', '200', note);
    const noteId = ((note.body['CreditNotes'] as Record<string, unknown>[])[0]['CreditNoteID']) as string;
    const allocation = await org.api('PUT', `/api.xro/2.0/CreditNotes/${noteId}/Allocations`, { Allocations: [{ Invoice: { InvoiceID: invoiceId }, Amount: 5, Date: '2026-05-04' }] });
    await expectOperation('PUT CreditNote Allocations', '/CreditNotes/{CreditNoteID}/Allocations', 'put', '200', allocation);
    const allocationId = ((allocation.body['Allocations'] as Record<string, unknown>[])[0]['AllocationID']) as string;
    await expectOperation('DELETE CreditNote Allocation', '/CreditNotes/{CreditNoteID}/Allocations/{AllocationID}', 'delete', '200', await org.api('DELETE', `/api.xro/2.0/CreditNotes/${noteId}/Allocations/${allocationId}`));
    await expectOperation('GET CreditNotes', '/CreditNotes', 'get', '200', await org.api('GET', '/api.xro/2.0/CreditNotes'));
    await expectOperation('GET CreditNote', '/CreditNotes/{CreditNoteID}', 'get', '200', await org.api('GET', `/api.xro/2.0/CreditNotes/${noteId}`));
    await expectOperation('GET Invoice with credit', '/Invoices/{InvoiceID}', 'get', '200', await org.api('GET', `/api.xro/2.0/Invoices/${invoiceId}`));

    for (const [kind, collection, idField] of [['prepayments', 'Prepayments', 'PrepaymentID'], ['overpayments', 'Overpayments', 'OverpaymentID']] as const) {
      const created = await call(sandbox, 'POST', `/__sandbox/organisations/${org.tenantId}/${kind}`, { body: { contactId: ids['contact'], amount: 20 } });
      const id = (created.body[collection] as Record<string, unknown>)[idField] as string;
      await expectOperation(`GET ${collection}`, `/${collection}`, 'get', '200', await org.api('GET', `/api.xro/2.0/${collection}`));
      await expectOperation(`GET ${collection} by id`, `/${collection}/{${idField}}`, 'get', '200', await org.api('GET', `/api.xro/2.0/${collection}/${id}`));
      const allocated = await org.api('PUT', `/api.xro/2.0/${collection}/${id}/Allocations`, { Allocations: [{ Invoice: { InvoiceID: invoiceId }, Amount: 20, Date: '2026-05-05' }] });
      await expectOperation(`PUT ${collection} Allocations`, `/${collection}/{${idField}}/Allocations`, 'put', '200', allocated);
    }
  });

  it('organisation settings: accounts, items, tax rates, tracking categories, organisation', async () => {
    await expectOperation('GET Accounts', '/Accounts', 'get', '200', await org.api('GET', '/api.xro/2.0/Accounts'));
    await expectOperation('PUT Accounts', '/Accounts', 'put', '200', await org.api('PUT', '/api.xro/2.0/Accounts', { Code: '201', Name: 'Online Sales', Type: 'REVENUE', TaxType: 'OUTPUT2' }));
    await expectOperation('GET Items', '/Items', 'get', '200', await org.api('GET', '/api.xro/2.0/Items'));
    await expectOperation('PUT Items', '/Items', 'put', '200', await org.api('PUT', '/api.xro/2.0/Items', { Items: [{ Code: 'NEW-1', Name: 'New item', SalesDetails: { UnitPrice: 12, AccountCode: '200' } }] }));
    await expectOperation('GET TaxRates', '/TaxRates', 'get', '200', await org.api('GET', '/api.xro/2.0/TaxRates'));
    await expectOperation('PUT TaxRates', '/TaxRates', 'put', '200', await org.api('PUT', '/api.xro/2.0/TaxRates', { TaxRates: [{ Name: 'Half rate', TaxComponents: [{ Name: 'GST', Rate: 7.5, IsCompound: false, IsNonRecoverable: false }] }] }));
    await expectOperation('GET TrackingCategories', '/TrackingCategories', 'get', '200', await org.api('GET', '/api.xro/2.0/TrackingCategories'));
    await expectOperation('GET Organisation', '/Organisation', 'get', '200', await org.api('GET', '/api.xro/2.0/Organisation'));
  });

  it('identity: GET /connections', async () => {
    const identity = parse(readFileSync(resolve(specDir, 'xero-identity.yaml'), 'utf8')) as Doc;
    const schema = buildValidator(identity, 'identity', true);
    const response = await call(sandbox, 'GET', '/connections', { headers: { authorization: `Bearer ${org.accessToken}` } });
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(1);
    for (const connection of response.body) expectValid(schema('#/components/schemas/Connection'), connection, 'Connection');
  });

  it('projects: create, list, get', async () => {
    const projects = parse(readFileSync(resolve(specDir, 'xero-projects.yaml'), 'utf8')) as Doc;
    const schema = buildValidator(projects, 'projects');
    const created = await org.api('POST', '/projects.xro/2.0/Projects', { contactId: ids['contact'], name: 'Spec project', estimateAmount: 10, deadlineUtc: '2026-12-10T12:59:59Z' });
    expect(created.status).toBe(201);
    expectValid(schema(responseSchemaRef(projects, '/Projects', 'post', '201')), created.body, 'POST Projects');
    expectValid(schema(responseSchemaRef(projects, '/Projects', 'get', '200')), (await org.api('GET', '/projects.xro/2.0/Projects?states=INPROGRESS')).body, 'GET Projects');
    expectValid(schema(responseSchemaRef(projects, '/Projects/{projectId}', 'get', '200')), (await org.api('GET', `/projects.xro/2.0/Projects/${created.body['projectId']}`)).body, 'GET Project');
  });

  it('projects: tasks, projects users and the {message, modelState} error', async () => {
    const projects = parse(readFileSync(resolve(specDir, 'xero-projects.yaml'), 'utf8')) as Doc;
    // The spec gives Task's amounts both `$ref: Amount` and `type: number`, which nothing can satisfy; its own
    // examples (and Xero) send an Amount object, so the stray `type` is dropped.
    for (const property of Object.values((projects.components['schemas']['Task'] as { properties: Record<string, Record<string, unknown>> }).properties)) {
      if (property['$ref']) delete property['type'];
    }
    const schema = buildValidator(projects, 'projects');
    const project = await org.api('POST', '/projects.xro/2.0/Projects', { contactId: ids['contact'], name: 'Tasks project' });
    const tasksPath = `/projects.xro/2.0/Projects/${project.body['projectId']}/Tasks`;
    const task = await org.api('POST', tasksPath, { name: 'Design', rate: { currency: project.body['currencyCode'], value: 120 }, chargeType: 'TIME', estimateMinutes: 90 });
    expect(task.status).toBe(201);
    expect(task.body).toMatchObject({ name: 'Design', rate: { value: 120 }, chargeType: 'TIME', estimateMinutes: 90, status: 'ACTIVE', projectId: project.body['projectId'] });
    expectValid(schema(responseSchemaRef(projects, '/Projects/{projectId}/Tasks', 'post', '201')), task.body, 'POST Tasks');
    expectValid(schema(responseSchemaRef(projects, '/Projects/{projectId}/Tasks', 'get', '200')), (await org.api('GET', tasksPath)).body, 'GET Tasks');
    expectValid(schema(responseSchemaRef(projects, '/Projects/{projectId}/Tasks/{taskId}', 'get', '200')), (await org.api('GET', `${tasksPath}/${task.body['taskId']}`)).body, 'GET Task');

    await call(sandbox, 'POST', `/__sandbox/organisations/${org.tenantId}/projects-users`, { body: { users: [{ name: 'Sidney Allen', email: 'sidney@spec.test' }] } });
    const users = await org.api('GET', '/projects.xro/2.0/ProjectsUsers');
    expect(users.status).toBe(200);
    expect(users.body['items']).toEqual([expect.objectContaining({ name: 'Sidney Allen', email: 'sidney@spec.test' })]);
    expectValid(schema(responseSchemaRef(projects, '/ProjectsUsers', 'get', '200')), users.body, 'GET ProjectsUsers');

    const refused = await org.api('POST', tasksPath, { name: 'No rate', chargeType: 'HOURLY' });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ message: expect.stringContaining('ChargeType'), modelState: expect.any(Object) });
    expectValid(schema(responseSchemaRef(projects, '/Projects/{projectId}/Tasks', 'post', '400')), refused.body, 'POST Tasks 400');
  });

  it('webhooks: a delivered batch matches WebhookEvent', async () => {
    const webhooks = parse(readFileSync(resolve(specDir, 'xero-webhooks.yaml'), 'utf8')) as Doc;
    const schema = buildValidator(webhooks, 'webhooks');
    const bodies: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        bodies.push(body);
        // Answer intent-to-receive as a receiver must: 401 for the wrong signature (the second probe).
        res.writeHead(bodies.length === 2 ? 401 : 200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      // Earlier tests' events still queued (with no URL yet) are dropped first: the published spec's category
      // list predates PAYMENT, PREPAYMENT and OVERPAYMENT, which they include.
      await call(sandbox, 'POST', '/__sandbox/webhooks/flush');
      await call(sandbox, 'PUT', '/__sandbox/webhooks', { body: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, key: 'spec-key', batchDelayMs: 10 } });
      await org.api('PUT', '/api.xro/2.0/Contacts', { Contacts: [{ Name: 'Webhook Spec' }] });
      const deadline = Date.now() + 3000;
      while (bodies.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(bodies.length).toBeGreaterThanOrEqual(3);
      expectValid(schema('#/components/schemas/WebhookEvent'), JSON.parse(bodies[2]), 'WebhookEvent');

      // A credit note's event carries its Type and Status, as Xero's CreditNoteWebhookEvent says.
      const seen = bodies.length;
      await call(sandbox, 'POST', `/__sandbox/organisations/${org.tenantId}/credit-notes`, { body: { contactId: ids['contact'], amount: 3 } });
      const noteDeadline = Date.now() + 10_000;
      while (bodies.length === seen && Date.now() < noteDeadline) await new Promise((r) => setTimeout(r, 20));
      expect(bodies.length).toBeGreaterThan(seen);
      const creditNoteBatch = JSON.parse(bodies[seen]);
      expect(creditNoteBatch.events.map((e: { eventCategory: string }) => e.eventCategory)).toEqual(['CREDITNOTE']);
      expectValid(schema('#/components/schemas/CreditNoteWebhookEvent'), creditNoteBatch, 'CreditNoteWebhookEvent');
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });
});
