import { createEvent, LedgerlineEvent, Topic, Topics } from '@ledgerline/contracts';
import {
  createTestDatabase,
  ensureKafka,
  eventually,
  freePort,
  KafkaProbe,
  migrateService,
  SandboxOrganisation,
  ServiceProcess,
  startServiceProcess,
  uniqueId,
} from '@ledgerline/testing';
import { createHmac, randomUUID } from 'node:crypto';
import { Client } from 'pg';

jest.setTimeout(180_000);

const KEY = 'payments-int-test-webhook-key-0123456789';
const prefix = `${uniqueId('pay-it-')}.`;
const topic = (name: Topic) => `${prefix}${name}`;

let database: { url: string; drop: () => Promise<void> };
let brokers: string;
let probe: KafkaProbe;
let payments: ServiceProcess;
let sandbox: ServiceProcess;
let db: Client;
let serviceEnv: NodeJS.ProcessEnv;

const sign = (body: string | Buffer, key = KEY) => createHmac('sha256', key).update(body).digest('base64');

interface XeroEvent {
  resourceUrl: string;
  resourceId: string;
  eventDateUtc: string;
  eventType: string;
  eventCategory: string;
  tenantId: string;
  tenantType: string;
  data?: Record<string, unknown>;
}

/** One event as Xero sends it; a date without a zone, as Xero writes them. */
function xeroEvent(tenantId: string, overrides: Partial<XeroEvent> = {}): XeroEvent {
  const resourceId = overrides.resourceId ?? randomUUID();
  return {
    resourceUrl: `https://api.xero.com/api.xro/2.0/Invoices/${resourceId}`,
    resourceId,
    eventDateUtc: new Date().toISOString().replace('Z', ''),
    eventType: 'UPDATE',
    eventCategory: 'INVOICE',
    tenantId,
    tenantType: 'ORGANISATION',
    ...overrides,
  };
}

let sequence = 0;
function delivery(events: XeroEvent[]): string {
  const first = sequence + 1;
  sequence += events.length;
  return JSON.stringify({ events, firstEventSequence: first, lastEventSequence: sequence, entropy: uniqueId('').toUpperCase() });
}

async function post(service: ServiceProcess, body: string | Buffer, signature: string | undefined, headers: Record<string, string> = {}) {
  const started = Date.now();
  const response = await fetch(`${service.url}/v1/webhooks/xero`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-xero-signature': signature }), ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, headers: response.headers, ms: Date.now() - started };
}

const signedPost = (body: string, service = payments) => post(service, body, sign(body));

async function publish<T extends Topic>(name: T, companyId: string, payload: LedgerlineEvent<T>['payload']): Promise<void> {
  await probe.send(topic(name), [{ key: companyId, value: JSON.stringify(createEvent(name, companyId, payload)) }]);
}

/** Tells payments, as the connections service would, that a company connected an organisation; waits until it knows. */
async function connect(companyId: string, tenantId: string, connectionId = randomUUID()): Promise<string> {
  await publish(Topics.XeroConnectionConnected, companyId, { connectionId, tenantId, organisationName: 'Shared Org', connectedBy: `admin@${companyId}` });
  await eventually(`${companyId} linked to ${tenantId}`, async () => {
    const { rows } = await db.query(`SELECT 1 FROM payments.xero_tenant_links WHERE company_id = $1 AND connection_id = $2 AND status = 'connected'`, [companyId, connectionId]);
    return rows.length > 0;
  });
  return connectionId;
}

type Received = { companyId: string; correlationId: string; payload: { tenantId: string; resourceId: string; eventCategory: string; eventType: string; eventDateUtc: string; data?: unknown } };
const received = (resourceId: string): Received[] =>
  probe
    .on(topic(Topics.XeroWebhookReceived))
    .map((m) => m.json<Received>())
    .filter((e) => e.payload.resourceId === resourceId);

async function outcomeOf(event: XeroEvent): Promise<string> {
  return eventually(`the outcome of ${event.eventCategory} ${event.resourceId}`, async () => {
    const { rows } = await db.query(`SELECT outcome FROM payments.webhook_events WHERE resource_id = $1 AND event_date_utc = $2`, [event.resourceId, event.eventDateUtc]);
    return rows[0]?.outcome as string | undefined;
  });
}

/** Every delivery stored so far has been processed. */
const allProcessed = () =>
  eventually('every stored delivery to be processed', async () => (await db.query(`SELECT count(*)::int AS n FROM payments.webhook_deliveries WHERE status = 'pending'`)).rows[0].n === 0);

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${payments.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : 0;
}

const startPayments = async (env: NodeJS.ProcessEnv = {}) => startServiceProcess({ entry: 'apps/payments/src/main.ts', port: await freePort(), env: { ...serviceEnv, ...env } });

beforeAll(async () => {
  process.env.KAFKA_TOPIC_PREFIX = prefix;
  [brokers, database] = await Promise.all([ensureKafka(), createTestDatabase()]);
  probe = new KafkaProbe(brokers);
  await probe.watch([topic(Topics.XeroWebhookReceived)]);
  await migrateService('payments', database.url);
  db = new Client({ connectionString: database.url });
  await db.connect();
  serviceEnv = {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_GROUP_SUFFIX: uniqueId('it-'),
    LOG_LEVEL: 'info',
    XERO_WEBHOOK_KEY: KEY,
    // Reconciliation's settings: these tests raise no invoices, so it never asks for a token or calls Xero.
    CONNECTIONS_INTERNAL_URL: 'http://127.0.0.1:9',
    INTERNAL_API_TOKEN: 'webhook-int-test-internal-token-0123456789',
    JWT_SECRET: 'webhook-int-test-jwt-secret-0123456789abcdef',
    WEBHOOK_PROCESS_INTERVAL_MS: '200',
    WEBHOOK_MAX_BODY_BYTES: '65536',
  };
  [payments, sandbox] = await Promise.all([
    startPayments(),
    startServiceProcess({ entry: 'apps/xero-sandbox/src/main.ts', port: await freePort(), env: { SANDBOX_ORGANISATIONS: 'none', LOG_LEVEL: 'warn' }, readyPath: '/health/live' }),
  ]);
});

afterAll(async () => {
  await payments?.stop();
  await sandbox?.stop();
  await probe?.close();
  await db?.end();
  await database?.drop();
});

describe('the Xero webhook receiver', () => {
  it('answers a correctly signed delivery 200 with an empty body and no cookies, quickly', async () => {
    const body = delivery([xeroEvent(randomUUID())]);
    const answer = await signedPost(body);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(answer.ms).toBeLessThan(1_000);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) times.push((await signedPost(delivery([xeroEvent(randomUUID())]))).ms);
    times.sort((a, b) => a - b);
    expect(times[times.length - 1]).toBeLessThan(2_000);
    console.log(`signed deliveries answered in ${answer.ms} ms (first), then median ${times[10]} ms, slowest ${times[19]} ms of 20`);
  });

  it('refuses forged signatures with 401 and keeps nothing of them', async () => {
    const tenantId = randomUUID();
    const event = xeroEvent(tenantId);
    const body = delivery([event]);
    const changed = Buffer.from(body);
    changed[body.indexOf(event.resourceId)] ^= 0x01;
    const other = delivery([xeroEvent(tenantId)]);
    const answers = [
      await post(payments, body, undefined),
      await post(payments, body, sign(body, 'another-key-entirely-0123456789')),
      await post(payments, changed, sign(body)),
      await post(payments, body, sign(other)),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(answers.map((a) => a.text)).toEqual(['', '', '', '']);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM payments.webhook_deliveries WHERE body::text LIKE $1`, [`%${event.resourceId}%`]);
    expect(rows[0].n).toBe(0);
    expect(await metric('ledgerline_payments_webhook_requests_total', 'result="bad_signature"')).toBeGreaterThanOrEqual(4);
  });

  it("passes the sandbox's intent-to-receive and receives its deliveries for a connected company", async () => {
    const org = await SandboxOrganisation.create(sandbox.url, 'Webhook Org');
    const companyId = uniqueId('itr-');
    await connect(companyId, org.tenantId);
    const configure = await fetch(`${sandbox.url}/__sandbox/webhooks`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${payments.url}/v1/webhooks/xero`, key: KEY, batchDelayMs: 50 }),
    });
    expect(configure.status).toBe(200);
    const contactId = await org.createContact('Harbour View Cafe');
    const event = await eventually('xero.webhook.received for the new contact', () => received(contactId).find((e) => e.companyId === companyId), 30_000);
    expect(event.payload).toMatchObject({ tenantId: org.tenantId, eventCategory: 'CONTACT', eventType: 'CREATE', resourceId: contactId });
    const status = (await (await fetch(`${sandbox.url}/__sandbox/webhooks`)).json()) as { intentToReceive: { state: string } };
    expect(status.intentToReceive.state).toBe('verified');
    await fetch(`${sandbox.url}/__sandbox/webhooks`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: '' }) });
  });

  it('answers 413 to a body over the limit and 400 to a signed body that is not JSON or not Xero’s, and keeps running', async () => {
    const huge = JSON.stringify({ events: [], firstEventSequence: 1, lastEventSequence: 1, entropy: 'x'.repeat(70_000) });
    expect((await post(payments, huge, sign(huge))).status).toBe(413);
    const notJson = 'this is not json';
    expect((await post(payments, notJson, sign(notJson))).status).toBe(400);
    const notXero = JSON.stringify({ hello: 'world' });
    expect((await post(payments, notXero, sign(notXero))).status).toBe(400);
    const badEvent = JSON.stringify({ events: [{ resourceId: 'x' }], firstEventSequence: 1, lastEventSequence: 1, entropy: 'x' });
    expect((await post(payments, badEvent, sign(badEvent))).status).toBe(400);
    // The service's log reaches this process through a pipe, possibly after the answer did.
    for (const reason of [/not Xero's shape: events is missing or not a list/, /not Xero's shape: the body is not JSON/]) {
      await eventually(`the log line ${reason}`, () => reason.test(payments.output()), 5_000);
    }
    expect((await fetch(`${payments.url}/health/ready`)).status).toBe(200);
    expect((await signedPost(delivery([xeroEvent(randomUUID())]))).status).toBe(200);
  });

  it('forwards an event once to every company connected to its organisation, and nothing for a resend', async () => {
    const tenantId = randomUUID();
    const [first, second] = [uniqueId('share-a-'), uniqueId('share-b-')];
    await connect(first, tenantId);
    await connect(second, tenantId);
    const event = xeroEvent(tenantId, { eventCategory: 'PAYMENT', resourceUrl: 'https://api.xero.com/api.xro/2.0/Payments/x' });
    const body = delivery([event]);
    expect((await signedPost(body)).status).toBe(200);
    await eventually('both companies to receive the event', () => received(event.resourceId).length === 2);
    expect(received(event.resourceId).map((e) => e.companyId).sort()).toEqual([first, second].sort());

    // Xero retries the same delivery, sends the same event again in a later one, and twice in one.
    expect((await signedPost(body)).status).toBe(200);
    expect((await signedPost(delivery([event]))).status).toBe(200);
    expect((await signedPost(delivery([event, event]))).status).toBe(200);
    await allProcessed();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(received(event.resourceId)).toHaveLength(2);
    expect(await metric('ledgerline_payments_webhook_events_total', 'outcome="duplicate"')).toBeGreaterThanOrEqual(2);
  });

  it('forwards nothing for an event older than one already forwarded for the same resource', async () => {
    const tenantId = randomUUID();
    const companyId = uniqueId('order-');
    await connect(companyId, tenantId);
    const resourceId = randomUUID();
    const older = xeroEvent(tenantId, { resourceId, eventType: 'CREATE', eventDateUtc: '2026-11-20T10:00:00.100' });
    const newer = xeroEvent(tenantId, { resourceId, eventType: 'UPDATE', eventDateUtc: '2026-11-20T10:00:05.200' });
    expect((await signedPost(delivery([newer]))).status).toBe(200);
    await eventually('the newer event', () => received(resourceId).length === 1);
    expect((await signedPost(delivery([older]))).status).toBe(200);
    expect(await outcomeOf(older)).toBe('stale');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(received(resourceId).map((e) => e.payload.eventDateUtc)).toEqual([newer.eventDateUtc]);
  });

  it('passes a credit note’s data on, and keeps an unknown category without forwarding it', async () => {
    const tenantId = randomUUID();
    const companyId = uniqueId('cats-');
    await connect(companyId, tenantId);
    const creditNote = xeroEvent(tenantId, { eventCategory: 'CREDITNOTE', eventType: 'CREATE', data: { Type: 'ACCRECCREDIT', Status: 'AUTHORISED' } });
    const future = xeroEvent(tenantId, { eventCategory: 'TIMESHEET' });
    expect((await signedPost(delivery([future, creditNote]))).status).toBe(200);
    const forwarded = await eventually('the credit note event', () => received(creditNote.resourceId)[0]);
    expect(forwarded.payload.data).toEqual({ type: 'ACCRECCREDIT', status: 'AUTHORISED' });
    expect(await outcomeOf(future)).toBe('unknown_category');
    expect(received(future.resourceId)).toHaveLength(0);
    expect(payments.output()).toMatch(/kept but not forwarded \(unknown category TIMESHEET\)/);
  });

  it('counts and drops an event of an organisation no company is connected to', async () => {
    const before = await metric('ledgerline_payments_webhook_events_total', 'outcome="unrouted",category="INVOICE"');
    const stranger = xeroEvent(randomUUID());
    expect((await signedPost(delivery([stranger]))).status).toBe(200);
    expect(await outcomeOf(stranger)).toBe('unrouted');
    await eventually('the unrouted count to rise', async () => (await metric('ledgerline_payments_webhook_events_total', 'outcome="unrouted",category="INVOICE"')) === before + 1);
    expect(payments.output()).toContain(`no company is connected to organisation ${stranger.tenantId}`);
    expect(received(stranger.resourceId)).toHaveLength(0);
  });

  it('sends a company that disconnected nothing more, while the other company sharing the organisation still receives', async () => {
    const tenantId = randomUUID();
    const [leaving, staying] = [uniqueId('leave-'), uniqueId('stay-')];
    const connectionId = await connect(leaving, tenantId);
    await connect(staying, tenantId);
    // A late expiry of an older connection must not cut the company off.
    await publish(Topics.XeroConnectionExpired, staying, { connectionId: randomUUID(), tenantId, reason: 'refresh_token_expired' });
    await publish(Topics.XeroConnectionDisconnected, leaving, { connectionId, tenantId, disconnectedBy: `admin@${leaving}` });
    await eventually('the disconnection to be known', async () => (await db.query(`SELECT status FROM payments.xero_tenant_links WHERE company_id = $1`, [leaving])).rows[0]?.status === 'disconnected');
    const event = xeroEvent(tenantId);
    expect((await signedPost(delivery([event]))).status).toBe(200);
    await eventually('the staying company to receive it', () => received(event.resourceId).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(received(event.resourceId).map((e) => e.companyId)).toEqual([staying]);
  });

  it('loses nothing when the receiver is killed between its 200 and processing', async () => {
    const tenantId = randomUUID();
    const companyId = uniqueId('crash-');
    await connect(companyId, tenantId);
    await payments.stop();
    // A receiver that stores and answers but dies before it processes anything.
    const doomed = await startPayments({ WEBHOOK_PROCESSING_ENABLED: 'false' });
    const event = xeroEvent(tenantId);
    expect((await signedPost(delivery([event]), doomed)).status).toBe(200);
    await doomed.stop('SIGKILL');
    const { rows } = await db.query(`SELECT status FROM payments.webhook_deliveries WHERE body::text LIKE $1`, [`%${event.resourceId}%`]);
    expect(rows).toEqual([{ status: 'pending' }]);
    expect(received(event.resourceId)).toHaveLength(0);

    payments = await startPayments();
    const forwarded = await eventually('the stored delivery to be processed after the restart', () => received(event.resourceId)[0], 30_000);
    expect(forwarded.companyId).toBe(companyId);
    expect(await outcomeOf(event)).toBe('forwarded');
  });

  it('takes up a delivery whose holder died once its lease has ended, and leaves one still leased alone', async () => {
    const tenantId = randomUUID();
    const companyId = uniqueId('lease-');
    await connect(companyId, tenantId);
    const [abandoned, held] = [xeroEvent(tenantId), xeroEvent(tenantId)];
    // As a process that claimed them and died would leave them: pending, leased, tried once.
    for (const [event, leaseEnd] of [[abandoned, `now() - interval '1 second'`], [held, `now() + interval '1 hour'`]] as const) {
      await db.query(
        `INSERT INTO payments.webhook_deliveries (id, body, event_count, tries, lease_token, lease_until) VALUES ($1, $2, 1, 1, $3, ${leaseEnd})`,
        [randomUUID(), JSON.parse(delivery([event])), randomUUID()],
      );
    }
    await eventually('the abandoned delivery to be processed', () => received(abandoned.resourceId)[0], 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(received(held.resourceId)).toHaveLength(0);
    const { rows } = await db.query(`SELECT status, tries FROM payments.webhook_deliveries WHERE body::text LIKE $1`, [`%${held.resourceId}%`]);
    expect(rows).toEqual([{ status: 'pending', tries: 1 }]);
  });

  it('never writes the webhook key to its output', () => {
    expect(payments.output()).not.toContain(KEY);
  });
});
