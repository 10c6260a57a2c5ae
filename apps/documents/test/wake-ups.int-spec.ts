import { InvoiceRequestedPayload, Topics } from '@ledgerline/contracts';
import { bearerToken, ServiceProcess } from '@ledgerline/testing';
import { DOCUMENTS_JWT, DocumentsHarness } from './support/documents-harness';

jest.setTimeout(120_000);

/**
 * The worker's poll is a minute here, so whatever reaches Xero sooner was woken: in-process by the consumer that
 * recorded it, or from another replica through Postgres NOTIFY.
 */
const harness = new DocumentsHarness();
const SLOW_POLL = { OPERATIONS_INTERVAL_MS: '60000', OPERATIONS_LEASE_MS: '180000' };
let apiReplica: ServiceProcess;

beforeAll(async () => {
  await harness.start([Topics.InvoiceCreated, Topics.InvoiceFailed], SLOW_POLL);
  // A replica that serves the API only: what it records is sent by the other replica's worker.
  apiReplica = await harness.startService('documents', { OPERATIONS_WORKER_ENABLED: 'false' });
});

afterAll(async () => {
  await harness.stop(apiReplica);
});

describe('the worker is woken, not polled', () => {
  it('sends a lone request at once, in one call of its own', async () => {
    const { companyId, org } = await harness.linkedCustomer('lone');
    const request = harness.invoiceRequest('client-lone');
    const sent = Date.now();
    await harness.publish(Topics.InvoiceRequested, companyId, request);
    const created = await harness.probe.waitFor('invoice.created', (m) => m.topic === harness.topic(Topics.InvoiceCreated) && m.value?.includes(request.requestId) === true, 10_000);
    process.stdout.write(`lone request: published → invoice.created read back in ${created.receivedAt - sent} ms\n`);
    expect(created.receivedAt - sent).toBeLessThan(3_000);
    expect((await org.invoiceWrites()).map((w) => w.status)).toEqual([200]);
  });

  it("sends what another replica recorded as soon as it commits (a retry over the API replica's REST)", async () => {
    const { companyId, org } = await harness.linkedCustomer('retry');
    const request = harness.invoiceRequest('client-retry', {
      lineItems: [{ description: 'Advice', quantity: '1', unitAmount: '100.00', accountCode: '4997' }],
    } as Partial<InvoiceRequestedPayload>);
    await harness.publish(Topics.InvoiceRequested, companyId, request);
    await harness.outcomeFor(Topics.InvoiceFailed, companyId, request.requestId);
    await org.seed({ accounts: [{ Code: '4997', Name: 'Advice Income', Type: 'REVENUE', TaxType: 'OUTPUT2' }] });
    const [{ id }] = await harness.rows<{ id: string }>(`SELECT "id" FROM "documents"."documents" WHERE "company_id" = $1 AND "request_id" = $2`, [companyId, request.requestId]);

    const sent = Date.now();
    const retried = await fetch(`${apiReplica.url}/v1/documents/${id}/retry`, {
      method: 'POST',
      headers: { authorization: bearerToken(DOCUMENTS_JWT, { sub: `user-${companyId}`, companyId, role: 'accountant' }) },
    });
    expect(retried.status).toBe(202);
    const created = await harness.probe.waitFor('the retried invoice.created', (m) => m.topic === harness.topic(Topics.InvoiceCreated) && m.value?.includes(request.requestId) === true, 20_000);
    process.stdout.write(`retry recorded by the API replica: → invoice.created read back in ${created.receivedAt - sent} ms\n`);
    expect(created.receivedAt - sent).toBeLessThan(5_000);
    expect(await org.invoices()).toHaveLength(1);
  });
});
