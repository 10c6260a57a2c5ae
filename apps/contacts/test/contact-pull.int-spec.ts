import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  ClientUpsertedPayload,
  ContactChangedPayload,
  ContactSyncedPayload,
  createEvent,
  LedgerlineEvent,
  SyncProgressPayload,
  Topic,
  Topics,
} from '@ledgerline/contracts';
import {
  bearerToken,
  ConnectionsStandIn,
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
  XeroJson,
} from '@ledgerline/testing';
import { Client } from 'pg';

jest.setTimeout(120_000);

const prefix = `${uniqueId('contacts-pull-it-')}.`;
const JWT_SECRET = 'contacts-pull-int-test-jwt-secret-0123456789abcdef';
const WEBHOOK_KEY = 'contacts-pull-int-test-webhook-key';
const POLL_INTERVAL_MS = 700;
const kafkaName = (topic: Topic) => `${prefix}${topic}`;

let database: { url: string; drop: () => Promise<void> };
let sandbox: ServiceProcess;
let contacts: ServiceProcess;
let tokens: ConnectionsStandIn;
let probe: KafkaProbe;
let receiver: http.Server;
let receiverUrl: string;
/** Organisations whose webhooks are passed on, as the payments service's receiver does: tenant → company. */
const routed = new Map<string, string>();
const webhookEvents: LedgerlineEvent[] = [];

async function publish<T extends Topic>(event: LedgerlineEvent<T>): Promise<LedgerlineEvent<T>> {
  await probe.send(kafkaName(event.type as T), [{ key: event.companyId, value: JSON.stringify(event) }]);
  return event;
}

/** Stands in for the payments service's receiver: verifies the signature, answers the intent-to-receive, publishes each event for its company. */
function startReceiver(): Promise<void> {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = createHmac('sha256', WEBHOOK_KEY).update(raw).digest('base64');
      if (req.headers['x-xero-signature'] !== expected) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200).end();
      const body = JSON.parse(raw.toString()) as {
        events: { tenantId: string; resourceId: string; eventCategory: string; eventType: string; eventDateUtc: string; resourceUrl: string }[];
      };
      for (const e of body.events) {
        const companyId = routed.get(e.tenantId);
        if (!companyId) continue;
        const event = createEvent(Topics.XeroWebhookReceived, companyId, {
          tenantId: e.tenantId,
          eventCategory: e.eventCategory as never,
          eventType: e.eventType as never,
          resourceId: e.resourceId,
          eventDateUtc: e.eventDateUtc,
          resourceUrl: e.resourceUrl,
        });
        webhookEvents.push(event);
        void publish(event);
      }
    });
  });
  return new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
}

async function webhooks(on: boolean): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/webhooks`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(on ? { url: receiverUrl, key: WEBHOOK_KEY, batchDelayMs: 50 } : { url: '' }),
  });
  if (!response.ok) throw new Error(`configuring the sandbox's webhooks: ${response.status} ${await response.text()}`);
}

async function sandboxPost(pathname: string, body: unknown, method = 'POST'): Promise<XeroJson> {
  const response = await fetch(`${sandbox.url}/__sandbox/${pathname}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${await response.text()}`);
  return (await response.json()) as XeroJson;
}

const editInXero = (org: SandboxOrganisation, contactId: string, fields: XeroJson) => sandboxPost(`organisations/${org.tenantId}/contacts/${contactId}`, fields, 'PATCH');

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const pg = new Client({ connectionString: database.url });
  await pg.connect();
  try {
    return (await pg.query(text, params)).rows as T[];
  } finally {
    await pg.end();
  }
}

type Envelope<P> = { id: string; companyId: string; correlationId: string; causationId?: string; payload: P };
const on = <P>(topic: Topic, companyId: string): Envelope<P>[] =>
  probe
    .on(kafkaName(topic))
    .map((m) => m.json<Envelope<P>>())
    .filter((e) => e.companyId === companyId);
const changes = (companyId: string) => on<ContactChangedPayload>(Topics.ContactChanged, companyId);
const synced = (companyId: string) => on<ContactSyncedPayload>(Topics.ContactSynced, companyId);

async function withOutput<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- contacts output ---\n${contacts.output().slice(-3000)}`);
  }
}

/** Publishes a client and waits for its contact.synced. */
async function linkedClient(companyId: string, payload: Partial<ClientUpsertedPayload> & { clientId: string }): Promise<ContactSyncedPayload> {
  const event = await publish(createEvent(Topics.ClientUpserted, companyId, { name: `Client ${payload.clientId}`, updatedAt: new Date().toISOString(), ...payload }));
  return withOutput(() => eventually(`contact.synced for ${payload.clientId}`, () => synced(companyId).find((e) => e.causationId === event.id)?.payload, 30_000));
}

/** Waits until every contact look recorded for the company has been answered (a webhook's read of Xero). */
async function looksDone(companyId: string, atLeast: number): Promise<void> {
  await eventually(
    `${atLeast} contact look(s) answered`,
    async () => {
      const rows = await sql<{ done: number; open: number }>(
        `SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS done, count(*) FILTER (WHERE status IN ('pending', 'waiting_connection'))::int AS open
       FROM contacts.xero_operations WHERE company_id = $1 AND kind = 'contact.look'`,
        [companyId],
      );
      return rows[0].done >= atLeast && rows[0].open === 0;
    },
    30_000,
  );
}

/** A company with a token for its own organisation; `webhook` routes the organisation's webhooks to it, `connect` makes it polled. */
async function company(label: string, options: { webhook?: boolean; connect?: boolean; token?: boolean } = {}): Promise<{ companyId: string; org: SandboxOrganisation }> {
  const companyId = uniqueId(`${label}-`);
  const org = await SandboxOrganisation.create(sandbox.url, `${label} Ltd`);
  if (options.token !== false) tokens.set(companyId, () => org.token());
  if (options.webhook) routed.set(org.tenantId, companyId);
  if (options.connect) await connect(companyId, org);
  return { companyId, org };
}

const connect = (companyId: string, org: SandboxOrganisation) =>
  publish(createEvent(Topics.XeroConnectionConnected, companyId, { connectionId: randomUUID(), tenantId: org.tenantId, organisationName: 'Org', connectedBy: 'user-1' }));

async function rest(method: string, pathname: string, companyId: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = bearerToken(
    { secret: JWT_SECRET, issuer: 'ledgerline-gateway', audience: 'ledgerline-api' },
    { sub: 'user-1', companyId, role: 'practice_admin' as never },
  );
  const response = await fetch(`${contacts.url}${pathname}`, {
    method,
    headers: { authorization: token, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const setPolicy = async (companyId: string, conflictPolicy: string) =>
  expect((await rest('PUT', '/v1/contacts/settings', companyId, { conflictPolicy })).status).toBe(200);
const contactOf = async (org: SandboxOrganisation, id: string) => (await org.contacts()).find((c) => String(c['ContactID']).toLowerCase() === id.toLowerCase());

beforeAll(async () => {
  const [brokers, db] = await Promise.all([ensureKafka(), createTestDatabase()]);
  database = db;
  tokens = new ConnectionsStandIn();
  await Promise.all([tokens.start(), startReceiver()]);
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
  await migrateService('contacts', database.url);
  probe = new KafkaProbe(brokers);
  const [sandboxPort, contactsPort] = [await freePort(), await freePort()];
  [sandbox] = await Promise.all([
    startServiceProcess({
      entry: 'apps/xero-sandbox/src/main.ts',
      port: sandboxPort,
      readyPath: '/health/live',
      env: { SANDBOX_ORGANISATIONS: 'none', LOG_LEVEL: 'warn' },
    }),
    probe.watch(
      [
        Topics.ClientUpserted,
        Topics.XeroWebhookReceived,
        Topics.XeroConnectionConnected,
        Topics.SyncRequested,
        Topics.ContactChanged,
        Topics.ContactSynced,
        Topics.ContactSyncFailed,
        Topics.SyncProgress,
      ].map(kafkaName),
    ),
  ]);
  contacts = await startServiceProcess({
    entry: 'apps/contacts/src/main.ts',
    port: contactsPort,
    env: {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_GROUP_SUFFIX: uniqueId('it-'),
      LOG_LEVEL: 'warn',
      XERO_API_BASE_URL: sandbox.url,
      CONNECTIONS_INTERNAL_URL: tokens.url,
      INTERNAL_API_TOKEN: tokens.internalToken,
      JWT_SECRET,
      OPERATIONS_INTERVAL_MS: '100',
      OPERATIONS_LINGER_MS: '50',
      OPERATIONS_RETRY_BASE_MS: '200',
      OPERATIONS_RETRY_MAX_MS: '1000',
      OPERATIONS_LEASE_MS: '3000',
      XERO_RETRY_BASE_DELAY_MS: '20',
      XERO_RETRY_MAX_DELAY_MS: '200',
      CONTACTS_POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
    },
  });
  await webhooks(true);
});

afterAll(async () => {
  await contacts?.stop();
  await sandbox?.stop();
  await probe?.close();
  await tokens?.stop();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  await database?.drop();
});

describe('contacts from Xero: webhooks, the poll, no echoes', () => {
  it('announces an edit made in Xero, seen through its webhook, and never echoes Ledgerline’s own writes', async () => {
    const { companyId, org } = await company('webhook', { webhook: true });
    const link = await linkedClient(companyId, { clientId: 'W-1', name: 'Weka Workshops', email: 'hello@weka.test' });
    // The create fired a CONTACT webhook: its look reads back what Ledgerline wrote and announces nothing.
    await looksDone(companyId, 1);
    const updated = await linkedClient(companyId, { clientId: 'W-1', name: 'Weka Workshops', email: 'office@weka.test' });
    expect(updated.action).toBe('updated');
    await looksDone(companyId, 2);
    expect(changes(companyId)).toEqual([]);

    await editInXero(org, link.xeroContactId, { EmailAddress: 'accounts@weka.test' });
    const changed = await withOutput(() => eventually('contact.changed', () => changes(companyId)[0], 30_000));
    expect(changed.payload).toMatchObject({
      xeroContactId: link.xeroContactId,
      clientId: 'W-1',
      email: 'accounts@weka.test',
      status: 'ACTIVE',
      changedFields: ['emailAddress'],
    });
    // Caused by the webhook event, not by the poll.
    expect(webhookEvents.map((e) => e.id)).toContain(changed.causationId);
    await looksDone(companyId, 3);
    expect(changes(companyId)).toHaveLength(1);
  });

  it('with the sandbox’s webhooks off, the poll brings the edit, and a linked contact archived in Xero is announced ARCHIVED', async () => {
    const { companyId, org } = await company('poll', { connect: true });
    const link = await linkedClient(companyId, { clientId: 'P-1', name: 'Pukeko Plumbing', phone: '07 555 0001' });
    await webhooks(false);
    try {
      await editInXero(org, link.xeroContactId, { Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '07 555 0002' }] });
      const changed = await withOutput(() => eventually('contact.changed by the poll', () => changes(companyId).find((e) => e.payload.phone === '07 555 0002'), 30_000));
      expect(changed.payload).toMatchObject({ clientId: 'P-1', changedFields: ['phone'] });
      expect(changed.correlationId).toMatch(/^poll-contacts-/);

      await sandboxPost(`organisations/${org.tenantId}/contacts/${link.xeroContactId}/archive`, {});
      const archived = await eventually('ARCHIVED announced', () => changes(companyId).find((e) => e.payload.status === 'ARCHIVED'), 30_000);
      expect(archived.payload).toMatchObject({ xeroContactId: link.xeroContactId, clientId: 'P-1', changedFields: ['status'] });
      const mappings = await rest('GET', '/v1/contacts/mappings?filter=archived', companyId);
      expect(mappings.body['items']).toEqual([expect.objectContaining({ clientId: 'P-1', status: 'ARCHIVED' })]);
      // Polled again and again since: nothing more to say.
      await new Promise((resolve) => setTimeout(resolve, 3 * POLL_INTERVAL_MS));
      expect(changes(companyId)).toHaveLength(2);
    } finally {
      await webhooks(true);
    }
  });
});

describe('conflicts: a field changed on both sides is decided by the company’s policy', () => {
  /** A linked client whose email is then changed in Xero (not routed, not polled) and in Ledgerline: a both-sides edit. */
  async function bothSidesEdit(label: string, policy: string, clientUpdatedAt?: string) {
    const { companyId, org } = await company(label);
    await setPolicy(companyId, policy);
    const link = await linkedClient(companyId, { clientId: 'K-1', name: `${label} Kiwi`, email: 'base@kiwi.test', updatedAt: '2026-01-01T00:00:00.000Z' });
    await editInXero(org, link.xeroContactId, { EmailAddress: 'xero@kiwi.test' });
    const answer = await linkedClient(companyId, {
      clientId: 'K-1',
      name: `${label} Kiwi`,
      email: 'ledgerline@kiwi.test',
      updatedAt: clientUpdatedAt ?? new Date(Date.now() + 60_000).toISOString(),
    });
    return { companyId, org, link, answer, email: async () => (await contactOf(org, link.xeroContactId))?.['EmailAddress'] };
  }

  it('ledgerline_wins writes the client’s value', async () => {
    const { answer, email, companyId } = await bothSidesEdit('lwins', 'ledgerline_wins');
    expect(answer.action).toBe('updated');
    expect(await email()).toBe('ledgerline@kiwi.test');
    const conflicts = await rest('GET', '/v1/contacts/conflicts', companyId);
    expect(conflicts.body['items']).toEqual([
      expect.objectContaining({ status: 'decided', policy: 'ledgerline_wins', fields: [expect.objectContaining({ field: 'emailAddress', winner: 'ledgerline' })] }),
    ]);
  });

  it('xero_wins keeps Xero’s value and announces it to the client', async () => {
    const { answer, email, companyId } = await bothSidesEdit('xwins', 'xero_wins');
    expect(answer.action).toBe('unchanged');
    expect(await email()).toBe('xero@kiwi.test');
    expect(changes(companyId).map((e) => e.payload)).toEqual([expect.objectContaining({ clientId: 'K-1', email: 'xero@kiwi.test', changedFields: ['emailAddress'] })]);
  });

  it('most_recent takes the side changed last', async () => {
    const older = await bothSidesEdit('recent-x', 'most_recent', '2026-01-02T00:00:00.000Z');
    expect(await older.email()).toBe('xero@kiwi.test');
    const newer = await bothSidesEdit('recent-l', 'most_recent');
    expect(await newer.email()).toBe('ledgerline@kiwi.test');
  });

  it('manual waits for a person: the conflict is listed, and resolving it over REST applies the choice', async () => {
    const { answer, email, companyId, link } = await bothSidesEdit('manual', 'manual');
    expect(answer.action).toBe('unchanged');
    expect(await email()).toBe('xero@kiwi.test');
    const open = await rest('GET', '/v1/contacts/conflicts?status=open', companyId);
    expect(open.body).toMatchObject({
      total: 1,
      items: [{ clientId: 'K-1', xeroContactId: link.xeroContactId, fields: [{ field: 'emailAddress', xero: 'xero@kiwi.test', ledgerline: 'ledgerline@kiwi.test' }] }],
    });
    expect((await rest('GET', '/v1/contacts/mappings?filter=conflicted', companyId)).body['items']).toEqual([
      expect.objectContaining({ clientId: 'K-1', conflicted: true }),
    ]);
    const id = (open.body['items'] as { id: string }[])[0].id;

    expect(await rest('POST', `/v1/contacts/conflicts/${id}/resolve`, companyId, { fields: { phone: 'xero' } })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_REQUEST' },
    });
    expect(await rest('POST', `/v1/contacts/conflicts/${id}/resolve`, companyId, { fields: { emailAddress: 'ledgerline' } })).toMatchObject({
      status: 200,
      body: { status: 'resolved', ledgerline: ['emailAddress'] },
    });
    await withOutput(() => eventually('the client’s value in Xero', async () => (await email()) === 'ledgerline@kiwi.test', 30_000));
    expect(await rest('POST', `/v1/contacts/conflicts/${id}/resolve`, companyId, { fields: { emailAddress: 'xero' } })).toMatchObject({ status: 409 });
    const history = await rest('GET', '/v1/contacts/clients/K-1/history', companyId);
    expect((history.body['items'] as { action: string }[]).map((h) => h.action)).toEqual(
      expect.arrayContaining(['created', 'conflict_waiting', 'conflict_resolved', 'updated']),
    );
  });
});

describe('merges, first import and manual syncs', () => {
  it('a merge in Xero moves the link to the surviving contact and announces it, with contact.synced for the survivor', async () => {
    const { companyId, org } = await company('merge', { webhook: true });
    const link = await linkedClient(companyId, { clientId: 'M-1', name: 'Moa Motors' });
    const [survivor] = await org.seedContacts([{ Name: 'Moa Motors Group', EmailAddress: 'fleet@moa.test' }]);
    const survivorId = String(survivor['ContactID']).toLowerCase();
    // A contact created in Xero that no client has: announced without a client id, for the business system to adopt.
    const adopted = await withOutput(() => eventually('the new contact announced', () => changes(companyId).find((e) => e.payload.xeroContactId === survivorId), 30_000));
    expect(adopted.payload.clientId).toBeUndefined();

    await sandboxPost(`organisations/${org.tenantId}/contacts/${link.xeroContactId}/merge`, { into: survivorId });
    const moved = await withOutput(() => eventually('the merge announced', () => changes(companyId).find((e) => e.payload.mergedIntoXeroContactId), 30_000));
    expect(moved.payload).toMatchObject({ xeroContactId: link.xeroContactId, clientId: 'M-1', status: 'ARCHIVED', mergedIntoXeroContactId: survivorId });
    const survivorSynced = await eventually('contact.synced for the survivor', () => synced(companyId).find((e) => e.payload.xeroContactId === survivorId), 30_000);
    expect(survivorSynced.payload).toMatchObject({ clientId: 'M-1', action: 'matched' });
    const [mapping] = await sql<{ xero_contact_id: string }>(`SELECT xero_contact_id FROM contacts.contact_mappings WHERE company_id = $1 AND client_id = 'M-1'`, [
      companyId,
    ]);
    expect(mapping.xero_contact_id).toBe(survivorId);
  });

  it('a first import links clients to look-alike contacts (number, email, name) and creates no duplicate', async () => {
    const { companyId, org } = await company('import', { token: false });
    await org.seedContacts([
      { Name: 'Tui Tours', ContactNumber: 'I-1' },
      { Name: 'Kaka Kitchens Ltd', EmailAddress: 'orders@kaka.test' },
      { Name: 'Ruru Roofing' },
      { Name: 'Someone Else Entirely' },
    ]);
    const clients = [
      { clientId: 'I-1', name: 'Tui Tours Limited' },
      { clientId: 'I-2', name: 'Kaka Kitchens', email: 'orders@kaka.test' },
      { clientId: 'I-3', name: 'Ruru Roofing' },
    ];
    // Known before the company connects: each waits for the connection.
    for (const c of clients) await publish(createEvent(Topics.ClientUpserted, companyId, { ...c, updatedAt: new Date().toISOString() }));
    await eventually(
      'the clients waiting for a connection',
      async () => (await sql(`SELECT 1 FROM contacts.xero_operations WHERE company_id = $1 AND status = 'waiting_connection'`, [companyId])).length === 3,
      30_000,
    );
    tokens.set(companyId, () => org.token());
    await connect(companyId, org);

    // Each client is linked once, to its look-alike (a later sync of an already linked client answers unchanged).
    const firstAnswers = await withOutput(() =>
      eventually(
        'three links',
        () => {
          const byClient = new Map<string, ContactSyncedPayload>();
          for (const e of synced(companyId)) if (!byClient.has(e.payload.clientId)) byClient.set(e.payload.clientId, e.payload);
          return byClient.size >= 3 && byClient;
        },
        30_000,
      ),
    );
    expect([...firstAnswers.values()].map((p) => [p.clientId, p.action]).sort()).toEqual([
      ['I-1', 'matched'],
      ['I-2', 'matched'],
      ['I-3', 'matched'],
    ]);
    expect(synced(companyId).filter((e) => e.payload.action === 'created')).toEqual([]);
    expect(await org.contacts()).toHaveLength(4);
    // Only the contact no client looks like is offered for adoption.
    await eventually('the import read', async () => (await sql(`SELECT 1 FROM contacts.contact_snapshots WHERE company_id = $1`, [companyId])).length === 4, 30_000);
    expect(
      changes(companyId)
        .filter((e) => !e.payload.clientId)
        .map((e) => e.payload.name),
    ).toEqual(['Someone Else Entirely']);
  });

  it('sync.requested (contacts) runs a pull now and reports sync.progress until done', async () => {
    const { companyId, org } = await company('manual-sync', { connect: true });
    await org.seedContacts([{ Name: 'Hoiho Hire' }, { Name: 'Takahe Tiling' }]);
    const syncId = randomUUID();
    await publish(createEvent(Topics.SyncRequested, companyId, { syncId, scope: 'contacts' }));
    const progress = await withOutput(() =>
      eventually(
        'sync.progress done',
        () => {
          const events = on<SyncProgressPayload>(Topics.SyncProgress, companyId).filter((e) => e.payload.syncId === syncId);
          return events.some((e) => e.payload.state === 'done') && events;
        },
        30_000,
      ),
    );
    expect(progress.map((e) => e.payload.state)).toEqual(['running', 'done']);
    expect(progress.at(-1)?.payload).toMatchObject({ scope: 'contacts', pagesRead: 1, errors: 0 });
  });
});
