import { deadLetterTopic, Topics } from '@ledgerline/contracts';
import { eventually, SandboxTestApi, ServiceProcess } from '@ledgerline/testing';
import { DocumentsHarness } from './support/documents-harness';

jest.setTimeout(120_000);

/**
 * The operations engine under the documents and contacts services, against the real broker, Postgres and the
 * sandbox: no transaction waits on Xero, one slow organisation holds up nobody else, and an answer Xero lost
 * is found in Xero rather than sent twice once Xero has forgotten its idempotency key.
 */
const harness = new DocumentsHarness();
let contacts: ServiceProcess | undefined;

const KEY_WINDOW_MS = 1_500;

beforeAll(async () => {
  const watched = [Topics.InvoiceCreated, Topics.InvoiceFailed, Topics.ContactSynced, Topics.SyncActivity, deadLetterTopic(Topics.InvoiceRequested)];
  await harness.start(watched, {
    OPERATIONS_INTERVAL_MS: '100',
    OPERATIONS_LINGER_MS: '50',
    // A first resend comes 2-4 s after a failure: always past the engine's (shortened) key window.
    OPERATIONS_RETRY_BASE_MS: '4000',
    OPERATIONS_RETRY_MAX_MS: '4000',
    OPERATIONS_LEASE_MS: '20000',
    OPERATIONS_KEY_WINDOW_MS: String(KEY_WINDOW_MS),
  });
  await harness.migrate('contacts');
  contacts = await harness.startService('contacts');
});

afterAll(async () => {
  await harness.stop(contacts);
});

/** The oldest transaction on the test database left idle while its session waits on something else, in ms. */
async function longestIdleTransactionMs(): Promise<number> {
  const [row] = await harness.rows<{ ms: number | null }>(
    `SELECT max(extract(epoch FROM now() - xact_start) * 1000)::float AS ms FROM pg_stat_activity
     WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()`,
  );
  return row.ms ?? 0;
}

describe('the operations engine', () => {
  it("holds no transaction open while Xero answers slowly, and another company's invoices keep flowing", async () => {
    const slow = await harness.connectedCompany('slow');
    const quick = await harness.connectedCompany('quick');
    await slow.org.addFault({ latencyMs: 3_000 });
    for (const { companyId } of [slow, quick]) {
      await harness.publish(Topics.ClientUpserted, companyId, { clientId: 'client-1', name: `Customer of ${companyId}`, updatedAt: new Date().toISOString() });
    }
    const slowRequest = harness.invoiceRequest('client-1');
    const quickRequest = harness.invoiceRequest('client-1');
    await harness.publish(Topics.InvoiceRequested, slow.companyId, slowRequest);
    await harness.publish(Topics.InvoiceRequested, quick.companyId, quickRequest);

    // Sample the database while the slow organisation's calls (contact search, contact create, invoices) are in flight.
    let longest = 0;
    let samples = 0;
    const sampling = (async () => {
      while (!harness.outcomes(Topics.InvoiceCreated, slow.companyId).some((e) => e.payload.requestId === slowRequest.requestId)) {
        longest = Math.max(longest, await longestIdleTransactionMs());
        samples += 1;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    await harness.outcomeFor(Topics.InvoiceCreated, quick.companyId, quickRequest.requestId, 20_000);
    expect(harness.outcomes(Topics.InvoiceCreated, slow.companyId)).toEqual([]);
    const slowCreated = await harness.outcomeFor(Topics.InvoiceCreated, slow.companyId, slowRequest.requestId, 60_000);
    await sampling;

    process.stdout.write(`slow organisation: longest idle transaction ${Math.round(longest)} ms over ${samples} samples while its calls took 3 s each\n`);
    expect(samples).toBeGreaterThan(20);
    // Every call to the slow organisation took 3 s; no transaction lived anywhere near that long.
    expect(longest).toBeLessThan(1_000);
    const slowCalls = (await slow.org.calls()).filter((c) => c.status === 200);
    expect(slowCalls.length).toBeGreaterThanOrEqual(3);
    expect(slowCalls.every((c) => c.durationMs >= 3_000)).toBe(true);
    expect(slowCreated.payload['xeroId']).toEqual((await slow.org.invoices())[0]['InvoiceID']);
    await slow.org.clearFaults();
  });

  it('keeps another company flowing while one organisation is rate-limited, and sends the limited one later without a duplicate', async () => {
    const limited = await harness.connectedCompany('limited');
    const other = await harness.connectedCompany('other');
    const limitedContact = await limited.org.createContact('Limited Customer');
    const otherContact = await other.org.createContact('Other Customer');
    await harness.publish(Topics.ContactSynced, limited.companyId, { clientId: 'client-l', xeroContactId: limitedContact, contactName: 'Limited Customer', action: 'created' });
    await harness.publish(Topics.ContactSynced, other.companyId, { clientId: 'client-o', xeroContactId: otherContact, contactName: 'Other Customer', action: 'created' });
    await limited.org.addFault({ rateLimitRate: 1, retryAfterSeconds: 2, remaining: 4 });

    const limitedRequest = harness.invoiceRequest('client-l');
    const otherRequest = harness.invoiceRequest('client-o');
    await harness.publish(Topics.InvoiceRequested, limited.companyId, limitedRequest);
    await harness.publish(Topics.InvoiceRequested, other.companyId, otherRequest);

    await harness.outcomeFor(Topics.InvoiceCreated, other.companyId, otherRequest.requestId, 10_000);
    expect(harness.outcomes(Topics.InvoiceCreated, limited.companyId)).toEqual([]);
    await harness.outcomeFor(Topics.InvoiceCreated, limited.companyId, limitedRequest.requestId, 60_000);
    expect(await limited.org.invoices()).toHaveLength(1);
    expect((await limited.org.invoiceWrites()).some((c) => c.status === 429)).toBe(true);
  });

  it("finds the invoice in Xero when the first send's answer was lost and the resend comes after Xero forgot the key", async () => {
    const { companyId, org } = await harness.connectedCompany('lost');
    const contactId = await org.createContact('Lost Answer Customer');
    await harness.publish(Topics.ContactSynced, companyId, { clientId: 'client-lost', xeroContactId: contactId, contactName: 'Lost Answer Customer', action: 'created' });
    // Xero makes the invoice, and the answer never arrives (the Xero client's own retries lose theirs too).
    await org.addFault({ lostAnswerRate: 1 });
    const request = harness.invoiceRequest('client-lost');
    await harness.publish(Topics.InvoiceRequested, companyId, request);

    const [first] = await eventually('the first attempt to be recorded as retrying', async () => {
      const rows = await harness.rows<{ outcome: string; error_code: string; idempotency_key: string }>(
        `SELECT "outcome", "error_code", "idempotency_key" FROM "documents"."xero_operation_attempts" WHERE "company_id" = $1 ORDER BY "started_at"`,
        [companyId],
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(first).toMatchObject({ outcome: 'retrying', error_code: 'XERO_UNAVAILABLE' });
    await org.clearFaults();
    expect(await org.invoices()).toHaveLength(1);

    // Xero's 6 minutes pass for the sandbox, and the engine's own (shortened) window passes before it resends.
    await new SandboxTestApi(harness.sandbox.url).advanceClock({ minutes: 7 });
    const writesBefore = (await org.invoiceWrites()).length;

    const created = await harness.outcomeFor(Topics.InvoiceCreated, companyId, request.requestId, 30_000);
    const invoices = await org.invoices();
    expect(invoices).toHaveLength(1);
    expect(created.payload['xeroId']).toBe(invoices[0]['InvoiceID']);
    expect(harness.outcomes(Topics.InvoiceCreated, companyId)).toHaveLength(1);
    expect((await org.invoiceWrites()).length).toBe(writesBefore);
    const outcomes = await harness.rows<{ outcome: string }>(`SELECT "outcome" FROM "documents"."xero_operation_attempts" WHERE "company_id" = $1 ORDER BY "started_at"`, [companyId]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['retrying', 'found_in_xero']);
    const activity = harness.outcomes(Topics.SyncActivity, companyId).map((e) => e.payload as unknown as { outcome: string; kind: string; targets: { outcome: string }[] });
    expect(activity.map((a) => [a.kind, a.outcome])).toEqual([
      ['invoice.create', 'retrying'],
      ['invoice.create', 'found_in_xero'],
    ]);
  });
});
