import { Topics } from '@ledgerline/contracts';
import { bearerToken, eventually, SandboxIdentity } from '@ledgerline/testing';
import { clientUpserted, invoiceRequested, publish } from './support/events';
import { connectCompany, connectCompanyTo, Platform, startPlatform } from './support/platform';

jest.setTimeout(300_000);

interface Outcome {
  companyId: string;
  payload: { requestId?: string; xeroId?: string; reason?: string; detail?: string };
}

let platform: Platform;
const outcomes = (topic: string, companyId: string): Outcome[] =>
  platform.probe.on(platform.topic(topic)).map((m) => m.json<Outcome>()).filter((event) => event.companyId === companyId);

async function documentOf(companyId: string, requestId: string): Promise<Record<string, unknown> | undefined> {
  const authorization = bearerToken(platform.jwt, { sub: `accountant@${companyId}`, companyId, role: 'accountant' });
  const page = (await (await fetch(`${platform.services.documents.url}/v1/documents?pageSize=100`, { headers: { authorization } })).json()) as { items: Record<string, unknown>[] };
  return page.items.find((d) => d['requestId'] === requestId);
}

beforeAll(async () => {
  platform = await startPlatform({ watch: [Topics.InvoiceCreated, Topics.InvoiceFailed, Topics.XeroConnectionExpired, Topics.XeroConnectionConnected] });
});

afterAll(async () => {
  await platform?.close();
});

describe('an organisation that disconnects the app in Xero', () => {
  it("turns the connection revoked, parks the company's requests, and resumes them once when it reconnects", async () => {
    const organisation = await connectCompany(platform, 'cutoff', 'Cut Off Ltd');
    await publish(platform, Topics.ClientUpserted, 'cutoff', [clientUpserted('client-1', 'Kahikatea Cafe')]);
    await publish(platform, Topics.InvoiceRequested, 'cutoff', [invoiceRequested('before-1', 'client-1')]);
    await eventually('the first invoice', () => outcomes(Topics.InvoiceCreated, 'cutoff').find((e) => e.payload.requestId === 'before-1'), 60_000);

    // A Xero user disconnects Ledgerline from the organisation, in Xero.
    expect(await new SandboxIdentity(platform.sandbox.url).disconnectApp(organisation.tenantId)).toBeGreaterThan(0);
    await publish(platform, Topics.InvoiceRequested, 'cutoff', [invoiceRequested('after-1', 'client-1'), invoiceRequested('after-2', 'client-1')]);

    const expired = await eventually('xero.connection.expired', () => outcomes(Topics.XeroConnectionExpired, 'cutoff')[0], 60_000);
    expect(expired.payload.reason).toBe('revoked');
    for (const requestId of ['after-1', 'after-2']) {
      const parked = await eventually(`${requestId} to wait for a connection`, async () => {
        const document = await documentOf('cutoff', requestId);
        return document?.['status'] === 'waiting_connection' ? document : undefined;
      }, 60_000);
      expect(parked['lastError']).toMatchObject({ code: 'NOT_CONNECTED' });
    }
    expect(outcomes(Topics.InvoiceFailed, 'cutoff')).toEqual([]);
    expect(outcomes(Topics.XeroConnectionExpired, 'cutoff')).toHaveLength(1);

    // The practice admin connects the organisation again: the waiting invoices go on, each once.
    await connectCompanyTo(platform, 'cutoff', organisation);
    for (const requestId of ['after-1', 'after-2']) {
      await eventually(`${requestId} to be created`, () => outcomes(Topics.InvoiceCreated, 'cutoff').find((e) => e.payload.requestId === requestId), 60_000);
    }
    await new Promise((r) => setTimeout(r, 1_000));
    const created = outcomes(Topics.InvoiceCreated, 'cutoff').map((e) => e.payload.requestId).sort();
    expect(created).toEqual(['after-1', 'after-2', 'before-1']);
    const invoices = (await organisation.invoices()).filter((i) => i['Status'] !== 'DELETED').map((i) => i['Reference']).sort();
    expect(invoices).toEqual(['after-1', 'after-2', 'before-1']);
  });
});
