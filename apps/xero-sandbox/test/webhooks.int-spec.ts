import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Sandbox } from '../src/sandbox';
import { call, organisationWithToken, startSandbox } from './support/sandbox-harness';

const KEY = 'receiver-webhook-key-0123456789';

interface Received {
  body: string;
  signature: string;
  status: number;
}

/** A receiver that does what a Xero webhook endpoint must: 200 for a valid signature, 401 otherwise. */
async function startReceiver(failDeliveries = 0): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  let failuresLeft = failDeliveries;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = String(req.headers['x-xero-signature'] ?? '');
      const valid = createHmac('sha256', KEY).update(body).digest('base64') === signature;
      const isEvent = valid && JSON.parse(body).events.length > 0;
      let status = valid ? 200 : 401;
      if (isEvent && failuresLeft > 0) {
        failuresLeft--;
        status = 500;
      }
      received.push({ body, signature, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/xero`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('signed webhooks', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });

  afterAll(() => sandbox.close());

  beforeEach(() => call(sandbox, 'POST', '/__sandbox/reset'));

  it('passes intent-to-receive, then delivers signed CREATE and UPDATE batches for contacts and invoices', async () => {
    const receiver = await startReceiver();
    try {
      await call(sandbox, 'PUT', '/__sandbox/webhooks', { body: { url: receiver.url, key: KEY, batchDelayMs: 50 } });
      const org = await organisationWithToken(sandbox);
      const created = await org.api('PUT', '/api.xro/2.0/Contacts', { Contacts: [{ Name: 'Webhook Contact' }] });
      const contactId = (created.body['Contacts'] as Record<string, unknown>[])[0]['ContactID'] as string;

      const firstEvents = await waitFor(() => receiver.received.find((r) => r.status === 200 && JSON.parse(r.body).events.length > 0));
      // Intent to receive came first: an empty, correctly signed batch (200) and a wrongly signed one (401).
      expect(receiver.received.slice(0, 2).map((r) => [JSON.parse(r.body).events.length, r.status])).toEqual([
        [0, 200],
        [0, 401],
      ]);
      expect(firstEvents.signature).toBe(createHmac('sha256', KEY).update(firstEvents.body).digest('base64'));
      const payload = JSON.parse(firstEvents.body);
      expect(payload).toMatchObject({ firstEventSequence: 1, lastEventSequence: 1, entropy: expect.stringMatching(/^[0-9A-F]{20}$/) });
      expect(payload.events).toEqual([
        {
          resourceUrl: `${sandbox.url}/api.xro/2.0/Contacts/${contactId}`,
          resourceId: contactId,
          eventDateUtc: expect.stringMatching(/Z$/),
          eventType: 'CREATE',
          eventCategory: 'CONTACT',
          tenantId: org.tenantId,
          tenantType: 'ORGANISATION',
        },
      ]);

      // A Xero user edits the contact and an invoice is raised: both arrive, in one batch.
      await call(sandbox, 'PATCH', `/__sandbox/organisations/${org.tenantId}/contacts/${contactId}`, { body: { EmailAddress: 'edited@xero.test' } });
      await org.api('PUT', '/api.xro/2.0/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contactId }, LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 5, AccountCode: '200' }] }] });
      const second = await waitFor(() => receiver.received.filter((r) => r.status === 200 && JSON.parse(r.body).events.length > 0)[1]);
      const events = JSON.parse(second.body).events as { eventCategory: string; eventType: string }[];
      expect(events.map((e) => `${e.eventCategory}:${e.eventType}`).sort()).toEqual(['CONTACT:UPDATE', 'INVOICE:CREATE']);
      expect(JSON.parse(second.body)).toMatchObject({ firstEventSequence: 2, lastEventSequence: 3 });
      // Intent to receive is checked once per URL and key.
      expect(receiver.received.filter((r) => JSON.parse(r.body).events.length === 0)).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });

  it('retries a failed delivery with backoff until the receiver accepts it', async () => {
    const receiver = await startReceiver(2);
    try {
      await call(sandbox, 'PUT', '/__sandbox/webhooks', { body: { url: receiver.url, key: KEY, batchDelayMs: 10, retryBaseMs: 100, maxAttempts: 5 } });
      const org = await organisationWithToken(sandbox);
      await org.api('PUT', '/api.xro/2.0/Contacts', { Contacts: [{ Name: 'Retry Me' }] });
      const status = await waitFor(async () => {
        const s = await call(sandbox, 'GET', '/__sandbox/webhooks');
        const delivery = (s.body['deliveries'] as { state: string; attempts: { status: number; at: string }[] }[])[0];
        return delivery?.state === 'delivered' ? delivery : undefined;
      });
      expect(status.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
      const gaps = status.attempts.slice(1).map((a, i) => Date.parse(a.at) - Date.parse(status.attempts[i].at));
      expect(gaps[0]).toBeGreaterThanOrEqual(90); // 100 ms, then
      expect(gaps[1]).toBeGreaterThanOrEqual(190); // 200 ms: exponential
      const bodies = receiver.received.filter((r) => JSON.parse(r.body).events.length > 0).map((r) => JSON.parse(r.body));
      expect(bodies).toHaveLength(3);
      expect(new Set(bodies.map((b) => b.firstEventSequence))).toEqual(new Set([1]));
    } finally {
      await receiver.close();
    }
  });

  it('does not deliver to a receiver that fails intent-to-receive', async () => {
    const sloppy = createServer((_req, res) => res.writeHead(200).end());
    await new Promise<void>((resolve) => sloppy.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(sloppy.address() as AddressInfo).port}/hook`;
      await call(sandbox, 'PUT', '/__sandbox/webhooks', { body: { url, key: KEY, batchDelayMs: 10, retryBaseMs: 5000, maxAttempts: 2 } });
      const org = await organisationWithToken(sandbox);
      await org.api('PUT', '/api.xro/2.0/Contacts', { Contacts: [{ Name: 'Never Sent' }] });
      const status = await waitFor(async () => {
        const s = await call(sandbox, 'GET', '/__sandbox/webhooks');
        return (s.body['intentToReceive'] as { state: string } | undefined)?.state === 'failed' ? s.body : undefined;
      });
      expect((status['intentToReceive'] as { detail: string }).detail).toMatch(/wrong signature got 200/);
      expect((status['deliveries'] as { state: string }[])[0].state).toBe('pending');
    } finally {
      await new Promise((resolve) => sloppy.close(resolve));
    }
  });
});
