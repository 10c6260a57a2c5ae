import { Contact, CreditNote, Invoice, LineAmountTypes, Payment, XeroClient } from 'xero-node';
import { Sandbox } from '../src/sandbox';
import { call, DEV_CLIENT, startSandbox } from './support/sandbox-harness';

// Each file starts its own sandbox (and services); on a loaded machine that outlasts Jest's 5 s default.
jest.setTimeout(60_000);

/** xero-node 20 itself, with only its base paths changed, against the sandbox over real HTTP. */
describe('xero-node against the sandbox', () => {
  let sandbox: Sandbox;
  let xero: XeroClient;
  let tenantId: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    const org = await call(sandbox, 'POST', '/__sandbox/organisations', { body: { name: 'Kiwi Plumbing Ltd' } });
    tenantId = org.body['tenantId'] as string;
    const tokens = await call(sandbox, 'POST', '/__sandbox/tokens', { body: { tenantIds: [tenantId] } });
    xero = new XeroClient({ clientId: DEV_CLIENT.clientId, clientSecret: DEV_CLIENT.clientSecret, redirectUris: ['http://127.0.0.1/callback'], scopes: ['openid', 'offline_access', 'accounting.transactions'] });
    xero.accountingApi.basePath = `${sandbox.url}/api.xro/2.0`;
    xero.projectApi.basePath = `${sandbox.url}/projects.xro/2.0`;
    xero.setTokenSet(tokens.body);
  });

  afterAll(() => sandbox.close());

  it('creates and reads a contact, and finds it with a where filter', async () => {
    const created = await xero.accountingApi.createContacts(tenantId, { contacts: [{ name: 'Aroha Builders', emailAddress: 'accounts@aroha.test', contactNumber: 'C-001' }] });
    const contact = created.body.contacts![0];
    expect(contact.contactID).toMatch(/^[0-9a-f-]{36}$/);
    expect(contact.updatedDateUTC).toBeInstanceOf(Date);

    const read = await xero.accountingApi.getContact(tenantId, contact.contactID!);
    expect(read.body.contacts![0]).toMatchObject({ name: 'Aroha Builders', emailAddress: 'accounts@aroha.test', contactStatus: Contact.ContactStatusEnum.ACTIVE });

    const found = await xero.accountingApi.getContacts(tenantId, undefined, 'EmailAddress=="ACCOUNTS@aroha.test"');
    expect(found.body.contacts!.map((c) => c.contactID)).toEqual([contact.contactID]);
  });

  it('creates an invoice with Xero totals, reads it, pays it in two parts and sees it PAID', async () => {
    const contact = (await xero.accountingApi.createContacts(tenantId, { contacts: [{ name: 'Tui Cafe' }] })).body.contacts![0];
    const invoice: Invoice = {
      type: Invoice.TypeEnum.ACCREC,
      contact: { contactID: contact.contactID },
      date: '2026-03-01',
      dueDate: '2026-03-20',
      lineAmountTypes: LineAmountTypes.Exclusive,
      reference: 'JOB-77',
      status: Invoice.StatusEnum.AUTHORISED,
      lineItems: [
        { description: 'Labour', quantity: 3, unitAmount: 33.33, accountCode: '200', taxType: 'OUTPUT2' },
        { description: 'Call-out', quantity: 1, unitAmount: 65, accountCode: '200' },
      ],
    };
    const created = (await xero.accountingApi.createInvoices(tenantId, { invoices: [invoice] })).body.invoices![0];
    expect(created.invoiceNumber).toBe('INV-0001');
    expect(created.subTotal).toBe(164.99);
    expect(created.totalTax).toBe(24.75); // 15.00 + 9.75, per line
    expect(created.total).toBe(189.74);
    expect(created.amountDue).toBe(189.74);
    expect(created.date).toEqual(new Date('2026-03-01T00:00:00Z'));

    const read = (await xero.accountingApi.getInvoice(tenantId, created.invoiceID!)).body.invoices![0];
    expect(read.lineItems).toHaveLength(2);
    expect(read.contact!.name).toBe('Tui Cafe');

    const part: Payment = { invoice: { invoiceID: created.invoiceID }, account: { code: '090' }, amount: 100, date: '2026-03-05' };
    const first = (await xero.accountingApi.createPayment(tenantId, part)).body.payments![0];
    expect(first.paymentID).toBeDefined();
    let after = (await xero.accountingApi.getInvoice(tenantId, created.invoiceID!)).body.invoices![0];
    expect(after.status).toBe(Invoice.StatusEnum.AUTHORISED);
    expect(after.amountPaid).toBe(100);
    expect(after.amountDue).toBe(89.74);

    await xero.accountingApi.createPayment(tenantId, { ...part, amount: 89.74 });
    after = (await xero.accountingApi.getInvoice(tenantId, created.invoiceID!)).body.invoices![0];
    expect(after.status).toBe(Invoice.StatusEnum.PAID);
    expect(after.amountDue).toBe(0);
    expect(after.payments).toHaveLength(2);

    const byStatus = await xero.accountingApi.getInvoices(tenantId, undefined, 'Status=="PAID" && Reference=="JOB-77"');
    expect(byStatus.body.invoices!.map((i) => i.invoiceID)).toEqual([created.invoiceID]);
  });

  it('raises a credit note, allocates it and a prepayment to an invoice, and reads the balance', async () => {
    const contact = (await xero.accountingApi.createContacts(tenantId, { contacts: [{ name: 'Pohutukawa Dental' }] })).body.contacts![0];
    const invoice = (
      await xero.accountingApi.createInvoices(tenantId, {
        invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID: contact.contactID }, status: Invoice.StatusEnum.AUTHORISED, lineItems: [{ description: 'Check-up', quantity: 1, unitAmount: 100, accountCode: '200', taxType: 'OUTPUT2' }] }],
      })
    ).body.invoices![0];
    const note = (
      await xero.accountingApi.createCreditNotes(tenantId, {
        creditNotes: [{ type: CreditNote.TypeEnum.ACCRECCREDIT, contact: { contactID: contact.contactID }, status: CreditNote.StatusEnum.AUTHORISED, lineItems: [{ description: 'Goodwill', quantity: 1, unitAmount: 10, accountCode: '200', taxType: 'OUTPUT2' }] }],
      })
    ).body.creditNotes![0];
    expect(note).toMatchObject({ creditNoteNumber: 'CN-0001', total: 11.5, remainingCredit: 11.5 });

    const allocation = (await xero.accountingApi.createCreditNoteAllocation(tenantId, note.creditNoteID!, { allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 11.5, date: '2026-03-05' }] })).body.allocations![0];
    expect(allocation.amount).toBe(11.5);

    const prepaid = await call(sandbox, 'POST', `/__sandbox/organisations/${tenantId}/prepayments`, { body: { contactId: contact.contactID, amount: 50 } });
    const prepaymentId = (prepaid.body['Prepayments'] as Record<string, unknown>)['PrepaymentID'] as string;
    const prepayments = (await xero.accountingApi.getPrepayments(tenantId)).body.prepayments!;
    expect(prepayments.map((p) => [p.prepaymentID, p.remainingCredit])).toEqual([[prepaymentId, 50]]);
    await xero.accountingApi.createPrepaymentAllocations(tenantId, prepaymentId, { allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 20, date: '2026-03-06' }] });

    const read = (await xero.accountingApi.getInvoice(tenantId, invoice.invoiceID!)).body.invoices![0];
    expect(read).toMatchObject({ total: 115, amountPaid: 0, amountCredited: 31.5, amountDue: 83.5 });
    expect(read.creditNotes!.map((c) => [c.creditNoteID, c.appliedAmount])).toEqual([[note.creditNoteID, 11.5]]);
    expect(read.prepayments!.map((p) => [p.prepaymentID, p.appliedAmount])).toEqual([[prepaymentId, 20]]);
  });

  it('surfaces a Xero validation error through xero-node', async () => {
    const error = await xero.accountingApi
      .createInvoices(tenantId, { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { name: 'Nobody Known' }, lineItems: [{ description: 'x', quantity: 1, unitAmount: 1, accountCode: '999' }] }] })
      .then(() => undefined, (e: unknown) => e);
    const parsed = JSON.parse(error as string);
    expect(parsed.response.statusCode).toBe(400);
    expect(parsed.body.Type).toBe('ValidationException');
    const messages = parsed.body.Elements[0].ValidationErrors.map((v: { Message: string }) => v.Message);
    expect(messages).toContain("Account code '999' is not a valid code for this document.");
    expect(messages).toContain("The contact 'Nobody Known' could not be found.");
  });

  it('reads the organisation and tax rates', async () => {
    const org = (await xero.accountingApi.getOrganisations(tenantId)).body.organisations![0];
    expect(org.organisationID).toBe(tenantId);
    expect(org.name).toBe('Kiwi Plumbing Ltd');
    const rates = (await xero.accountingApi.getTaxRates(tenantId)).body.taxRates!;
    expect(rates.find((r) => r.taxType === 'OUTPUT2')?.effectiveRate).toBe(15);
  });

  it('creates, lists and closes a project through projectApi', async () => {
    const contact = (await xero.accountingApi.createContacts(tenantId, { contacts: [{ name: 'Project Client' }] })).body.contacts![0];
    const project = (await xero.projectApi.createProject(tenantId, { contactId: contact.contactID!, name: 'Bathroom refit', estimateAmount: 1200.5, deadlineUtc: new Date('2026-06-30T00:00:00Z') })).body;
    expect(project.status).toBe('INPROGRESS');
    expect(project.estimate?.value).toBe(1200.5);
    await xero.projectApi.patchProject(tenantId, project.projectId!, { status: 'CLOSED' as never });
    const closed = (await xero.projectApi.getProjects(tenantId, undefined, undefined, 'CLOSED')).body;
    expect(closed.items!.map((p) => p.projectId)).toEqual([project.projectId]);
    const open = (await xero.projectApi.getProjects(tenantId, undefined, undefined, 'INPROGRESS')).body;
    expect(open.pagination?.itemCount).toBe(0);
  });
});
