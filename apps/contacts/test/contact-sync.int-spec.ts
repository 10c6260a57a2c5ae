import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { ClientUpsertedPayload, ContactSyncedPayload, ContactSyncFailedPayload, createEvent, deadLetterTopic, LedgerlineEvent, Topic, Topics } from '@ledgerline/contracts';
import {
  ConnectionsStandIn,
  createTestDatabase,
  ensureKafka,
  eventually,
  freePort,
  KafkaProbe,
  migrateService,
  ProbedMessage,
  SandboxOrganisation,
  ServiceProcess,
  startServiceProcess,
  uniqueId,
  XeroJson,
} from '@ledgerline/testing';
import { Client } from 'pg';

jest.setTimeout(120_000);

const prefix = `${uniqueId('contacts-it-')}.`;
const JWT = { secret: 'contacts-int-test-jwt-secret-0123456789abcdef', issuer: 'ledgerline-gateway', audience: 'ledgerline-api' };
const kafkaName = (topic: Topic) => `${prefix}${topic}`;
/** How long a request for an unknown client waits: long enough for an upsert sent 1.5 s later, short enough to watch run out. */
const UNKNOWN_CLIENT_WAIT_MS = 4_000;
const SWEEP_INTERVAL_MS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let database: { url: string; drop: () => Promise<void> };
let sandbox: ServiceProcess;
let contacts: ServiceProcess;
let tokens: ConnectionsStandIn;
let probe: KafkaProbe;

type Answer = { synced?: ContactSyncedPayload; failed?: ContactSyncFailedPayload; message: ProbedMessage };

/** A company connected to its own sandbox organisation. */
async function connectedCompany(label: string): Promise<{ companyId: string; org: SandboxOrganisation }> {
  const companyId = uniqueId(`${label}-`);
  const org = await SandboxOrganisation.create(sandbox.url, `${label} Ltd`);
  tokens.set(companyId, () => org.token());
  return { companyId, org };
}

const client = (clientId: string, fields: Partial<ClientUpsertedPayload> = {}): ClientUpsertedPayload => ({
  clientId,
  name: `Client ${clientId}`,
  updatedAt: new Date().toISOString(),
  ...fields,
});

async function publish<T extends Topic>(event: LedgerlineEvent<T>, times = 1): Promise<LedgerlineEvent<T>> {
  const value = JSON.stringify(event);
  await probe.send(kafkaName(event.type as T), Array.from({ length: times }, () => ({ key: event.companyId, value })));
  return event;
}

const upsert = (companyId: string, payload: ClientUpsertedPayload) => publish(createEvent(Topics.ClientUpserted, companyId, payload));
const request = (companyId: string, clientId: string) => publish(createEvent(Topics.ContactSyncRequested, companyId, { clientId, reason: 'invoice waiting' }));

function answersTo(event: LedgerlineEvent): Answer[] {
  return probe.messages
    .filter((m) => (m.topic === kafkaName(Topics.ContactSynced) || m.topic === kafkaName(Topics.ContactSyncFailed)) && m.json<{ causationId: string }>().causationId === event.id)
    .map((message) => {
      const body = message.json<{ payload: ContactSyncedPayload & ContactSyncFailedPayload }>();
      return message.topic === kafkaName(Topics.ContactSynced) ? { synced: body.payload, message } : { failed: body.payload, message };
    });
}

async function answerTo(event: LedgerlineEvent): Promise<Answer> {
  try {
    const [answer] = await eventually(`an answer to ${event.type} ${event.id}`, () => answersTo(event).length > 0 && answersTo(event), 30_000);
    return answer;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- contacts output ---\n${contacts.output().slice(-4000)}`);
  }
}

/** Every answer about one client of one company, whatever caused it. */
function answersAbout(companyId: string, clientId: string): Answer[] {
  return probe.messages
    .filter((m) => m.topic === kafkaName(Topics.ContactSynced) || m.topic === kafkaName(Topics.ContactSyncFailed))
    .filter((m) => {
      const body = m.json<{ companyId: string; payload: { clientId: string } }>();
      return body.companyId === companyId && body.payload.clientId === clientId;
    })
    .map((message) => {
      const body = message.json<{ payload: ContactSyncedPayload & ContactSyncFailedPayload }>();
      return message.topic === kafkaName(Topics.ContactSynced) ? { synced: body.payload, message } : { failed: body.payload, message };
    });
}

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const pg = new Client({ connectionString: database.url });
  await pg.connect();
  try {
    return (await pg.query(text, params)).rows as T[];
  } finally {
    await pg.end();
  }
}

const parkedRequests = (companyId: string) =>
  sql<{ client_id: string; request_event_id: string; correlation_id: string; request_count: number }>(
    `SELECT client_id, request_event_id, correlation_id, request_count FROM contacts.pending_sync_requests WHERE company_id = $1`,
    [companyId],
  );

async function syncedFor(event: LedgerlineEvent): Promise<ContactSyncedPayload> {
  const answer = await answerTo(event);
  if (!answer.synced) throw new Error(`expected contact.synced, got contact.sync_failed ${JSON.stringify(answer.failed)}\n${contacts.output().slice(-3000)}`);
  return answer.synced;
}

async function failedFor(event: LedgerlineEvent): Promise<ContactSyncFailedPayload> {
  const answer = await answerTo(event);
  if (!answer.failed) throw new Error(`expected contact.sync_failed, got contact.synced ${JSON.stringify(answer.synced)}`);
  return answer.failed;
}

const byNumber = (all: XeroJson[], clientId: string) => all.filter((c) => c['ContactNumber'] === clientId);
const contactWrites = async (org: SandboxOrganisation) => (await org.calls()).filter((c) => /^(PUT|POST) \/api\.xro\/2\.0\/Contacts/.test(c.endpoint));

beforeAll(async () => {
  const [brokers, db] = await Promise.all([ensureKafka(), createTestDatabase()]);
  database = db;
  tokens = new ConnectionsStandIn();
  await tokens.start();

  await migrateService('contacts', database.url);

  probe = new KafkaProbe(brokers);
  const [sandboxPort, contactsPort] = [await freePort(), await freePort()];
  [sandbox] = await Promise.all([
    startServiceProcess({ entry: 'apps/xero-sandbox/src/main.ts', port: sandboxPort, readyPath: '/health/live', env: { SANDBOX_ORGANISATIONS: 'none', LOG_LEVEL: 'warn' } }),
    probe.watch([...[Topics.ClientUpserted, Topics.ContactSyncRequested, Topics.ContactSynced, Topics.ContactSyncFailed].map(kafkaName), deadLetterTopic(kafkaName(Topics.ClientUpserted))]),
  ]);
  contacts = await startServiceProcess({
    entry: 'apps/contacts/src/main.ts',
    port: contactsPort,
    env: {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      // The group id is the service name whatever the prefix: a group of its own keeps other runs' members out.
      KAFKA_GROUP_SUFFIX: uniqueId('it-'),
      LOG_LEVEL: 'warn',
      XERO_API_BASE_URL: sandbox.url,
      CONNECTIONS_INTERNAL_URL: tokens.url,
      INTERNAL_API_TOKEN: tokens.internalToken,
      JWT_SECRET: JWT.secret,
      EVENT_MAX_ATTEMPTS: '3',
      EVENT_RETRY_BASE_MS: '50',
      OPERATIONS_INTERVAL_MS: '100',
      OPERATIONS_RETRY_BASE_MS: '200',
      OPERATIONS_RETRY_MAX_MS: '1000',
      OPERATIONS_LEASE_MS: '3000',
      XERO_RETRY_MAX_ATTEMPTS: '3',
      XERO_RETRY_BASE_DELAY_MS: '20',
      XERO_RETRY_MAX_DELAY_MS: '200',
      CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS: String(UNKNOWN_CLIENT_WAIT_MS),
      CONTACT_SYNC_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS),
    },
  });
});

afterAll(async () => {
  await contacts?.stop();
  await sandbox?.stop();
  await probe?.close();
  await tokens?.stop();
  await database?.drop();
});

describe('contacts: client.upserted and contact.sync_requested become one Xero contact per client and company', () => {
  it('creates a new client as one Xero contact with every field mapped, and answers contact.synced (created)', async () => {
    const { companyId, org } = await connectedCompany('create');
    const event = await upsert(
      companyId,
      client('C-100', {
        name: 'Aroha Builders',
        firstName: 'Aroha',
        lastName: 'Ngata',
        email: 'accounts@aroha.test',
        phone: '09 555 0101',
        taxNumber: '123-456-789',
        accountNumber: 'AR-100',
        address: { line1: '1 Queen Street', city: 'Auckland', postalCode: '1010', country: 'New Zealand' },
      }),
    );

    const synced = await syncedFor(event);
    const all = await org.contacts();
    expect(all).toHaveLength(1);
    const [contact] = all;
    expect(synced).toEqual({ clientId: 'C-100', xeroContactId: contact['ContactID'], contactName: 'Aroha Builders', action: 'created' });
    expect(contact).toMatchObject({
      Name: 'Aroha Builders',
      FirstName: 'Aroha',
      LastName: 'Ngata',
      EmailAddress: 'accounts@aroha.test',
      TaxNumber: '123-456-789',
      AccountNumber: 'AR-100',
      ContactNumber: 'C-100',
      Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '09 555 0101' }],
    });
    const address = { AddressLine1: '1 Queen Street', City: 'Auckland', PostalCode: '1010', Country: 'New Zealand' };
    expect(contact['Addresses']).toEqual([expect.objectContaining({ AddressType: 'POBOX', ...address }), expect.objectContaining({ AddressType: 'STREET', ...address })]);
    const answer = (await answerTo(event)).message;
    expect(answer.key).toBe(companyId);
    expect(answer.json()).toMatchObject({ companyId, correlationId: event.correlationId, causationId: event.id });
  });

  it('processes the same event delivered twice once: one contact, one answer', async () => {
    const { companyId, org } = await connectedCompany('twice');
    const event = await publish(createEvent(Topics.ClientUpserted, companyId, client('C-200', { name: 'Tui Cafe' })), 2);
    // Same key, same partition: once this later event is answered, both copies of the first were consumed. Clients
    // are synced independently, so the first may be answered after the marker: wait for both answers.
    const marker = await upsert(companyId, client('C-201', { name: 'Kea Motors' }));
    await syncedFor(marker);
    expect((await syncedFor(event)).action).toBe('created');

    expect(probe.on(kafkaName(Topics.ClientUpserted)).filter((m) => m.json<{ id: string }>().id === event.id)).toHaveLength(2);
    expect(answersTo(event)).toHaveLength(1);
    // The second copy recorded nothing: the one operation for the client is the one that answered.
    expect(await sql(`SELECT 1 FROM contacts.xero_operations WHERE company_id = $1 AND kind = 'contact.sync' AND target = 'C-200'`, [companyId])).toHaveLength(1);
    expect(byNumber(await org.contacts(), 'C-200')).toHaveLength(1);
  });

  it('answers a repeat of the same client content as unchanged, and an out-of-order older update too, without touching Xero', async () => {
    const { companyId, org } = await connectedCompany('unchanged');
    const newer = client('C-300', { name: 'Pohutukawa Press', email: 'hello@press.test', updatedAt: '2025-06-01T10:00:00.000Z' });
    const first = await upsert(companyId, newer);
    const created = await syncedFor(first);
    const callsAfterCreate = (await org.calls()).length;

    const again = await upsert(companyId, { ...newer, updatedAt: '2025-06-01T11:00:00.000Z' });
    expect(await syncedFor(again)).toEqual({ ...created, action: 'unchanged' });
    const older = await upsert(companyId, { ...newer, name: 'Old Press Name', updatedAt: '2025-05-01T10:00:00.000Z' });
    expect(await syncedFor(older)).toEqual({ ...created, action: 'unchanged' });

    expect((await org.calls()).length).toBe(callsAfterCreate);
    const [contact] = byNumber(await org.contacts(), 'C-300');
    expect(contact['Name']).toBe('Pohutukawa Press');
  });

  it('updates the linked contact when the client changes, clearing what the client no longer has', async () => {
    const { companyId, org } = await connectedCompany('update');
    const v1 = await upsert(companyId, client('C-400', { name: 'Rata Plumbing', email: 'info@rata.test', phone: '04 555 0400', updatedAt: '2025-06-01T10:00:00Z' }));
    const created = await syncedFor(v1);
    const v2 = await upsert(companyId, client('C-400', { name: 'Rata Plumbing & Gas', phone: '04 555 0401', updatedAt: '2025-06-02T10:00:00Z' }));

    expect(await syncedFor(v2)).toEqual({ clientId: 'C-400', xeroContactId: created.xeroContactId, contactName: 'Rata Plumbing & Gas', action: 'updated' });
    const all = await org.contacts();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ ContactID: created.xeroContactId, Name: 'Rata Plumbing & Gas', EmailAddress: '', Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '04 555 0401' }] });
    expect((await contactWrites(org)).map((c) => c.endpoint)).toEqual(['PUT /api.xro/2.0/Contacts', 'POST /api.xro/2.0/Contacts/{id}']);
  });

  it('links an existing Xero contact with the same email address instead of creating a second one (matched)', async () => {
    const { companyId, org } = await connectedCompany('match');
    const [existing] = await org.seedContacts([{ Name: 'Kauri Joinery', EmailAddress: 'Office@Kauri.test', Website: 'https://kauri.test' }]);
    const event = await upsert(companyId, client('C-500', { name: 'Kauri Joinery Limited', email: 'office@kauri.test' }));

    expect(await syncedFor(event)).toEqual({ clientId: 'C-500', xeroContactId: existing['ContactID'], contactName: 'Kauri Joinery Limited', action: 'matched' });
    const all = await org.contacts();
    expect(all).toHaveLength(1);
    // The link is visible in Xero; what a Xero user entered and Ledgerline does not manage stays.
    expect(all[0]).toMatchObject({ ContactNumber: 'C-500', Website: 'https://kauri.test' });
  });

  it('answers contact.sync_requested for a known client at once with its contact', async () => {
    const { companyId, org } = await connectedCompany('request');
    const created = await syncedFor(await upsert(companyId, client('C-601', { name: 'Harakeke Weavers' })));
    const known = await request(companyId, 'C-601');
    expect(await syncedFor(known)).toEqual({ ...created, action: 'unchanged' });
    expect(await org.contacts()).toHaveLength(1);
  });

  it("answers a client Xero rejects with contact.sync_failed carrying Xero's message, and retries nothing", async () => {
    const { companyId, org } = await connectedCompany('reject');
    // Another system's contact (its own ContactNumber) already holds the name, so it cannot be linked and Xero refuses a second.
    await org.seedContacts([{ Name: 'Rimu Traders', ContactNumber: 'ERP-77' }]);
    const event = await upsert(companyId, client('C-700', { name: 'Rimu Traders' }));

    expect(await failedFor(event)).toEqual({
      clientId: 'C-700',
      failure: {
        code: 'XERO_VALIDATION',
        messages: ['The contact name Rimu Traders is already assigned to another contact. The contact name must be unique across all active contacts.'],
        retriable: false,
      },
    });
    expect(await contactWrites(org)).toHaveLength(1);
    expect(await org.contacts()).toHaveLength(1);
  });

  it('answers a company without a Xero connection with NOT_CONNECTED (retriable), and syncs the client once the company connects', async () => {
    const companyId = uniqueId('unconnected-');
    const event = await upsert(companyId, client('C-800', { name: 'Nikau Nursery' }));
    expect(await failedFor(event)).toEqual({ clientId: 'C-800', failure: { code: 'NOT_CONNECTED', messages: [expect.stringContaining('CONNECTION_NOT_FOUND')], retriable: true } });

    const org = await SandboxOrganisation.create(sandbox.url, 'Nikau Ltd');
    tokens.set(companyId, () => org.token());
    await publish(createEvent(Topics.XeroConnectionConnected, companyId, { connectionId: randomUUID(), tenantId: org.tenantId, organisationName: 'Nikau Ltd', connectedBy: 'user-nikau' }));
    const synced = await eventually('contact.synced after the company connected', () => answersTo(event).find((a) => a.synced)?.synced);
    expect(synced).toMatchObject({ clientId: 'C-800', action: 'created' });
    expect(byNumber(await org.contacts(), 'C-800')).toHaveLength(1);
    expect(answersTo(event)).toHaveLength(2);
  });

  it('gives the same client id of two companies separate contacts, each in its own organisation', async () => {
    const a = await connectedCompany('company-a');
    const b = await connectedCompany('company-b');
    const [eventA, eventB] = await Promise.all([
      upsert(a.companyId, client('C-900', { name: 'Shared Id Client', email: 'shared@client.test' })),
      upsert(b.companyId, client('C-900', { name: 'Shared Id Client', email: 'shared@client.test' })),
    ]);
    const [syncedA, syncedB] = await Promise.all([syncedFor(eventA), syncedFor(eventB)]);

    expect([syncedA.action, syncedB.action]).toEqual(['created', 'created']);
    expect(syncedA.xeroContactId).not.toBe(syncedB.xeroContactId);
    expect((await a.org.contacts()).map((c) => c['ContactID'])).toEqual([syncedA.xeroContactId]);
    expect((await b.org.contacts()).map((c) => c['ContactID'])).toEqual([syncedB.xeroContactId]);
  });

  it('creates one contact when the same client is upserted many times at once, keeping the newest version', async () => {
    const { companyId, org } = await connectedCompany('burst');
    const base = Date.parse('2025-07-01T00:00:00Z');
    // Sent concurrently, so they may land in any order: older versions arriving late must not win.
    const events = await Promise.all(
      Array.from({ length: 5 }, (_, i) => upsert(companyId, client('C-1000', { name: 'Totara Timber', phone: `07 555 100${i}`, updatedAt: new Date(base + i * 1000).toISOString() }))),
    );
    const answers = await Promise.all(events.map((e) => syncedFor(e)));

    const contactsForClient = byNumber(await org.contacts(), 'C-1000');
    expect(contactsForClient).toHaveLength(1);
    expect(new Set(answers.map((a) => a.xeroContactId))).toEqual(new Set([contactsForClient[0]['ContactID']]));
    expect(answers.filter((a) => a.action === 'created')).toHaveLength(1);
    expect(contactsForClient[0]['Phones']).toEqual([expect.objectContaining({ PhoneNumber: '07 555 1004' })]);
  });

  it('links once when an upsert and sync requests for the same unlinked client are handled at the same time', async () => {
    const companyId = uniqueId('race-');
    // Known but not linked: the company was not connected to Xero when the client first arrived.
    const first = await upsert(companyId, client('C-1050', { name: 'Matai Fencing', updatedAt: '2025-06-01T10:00:00Z' }));
    expect((await failedFor(first)).failure.code).toBe('NOT_CONNECTED');
    const org = await SandboxOrganisation.create(sandbox.url, 'race Ltd');
    tokens.set(companyId, () => org.token());
    // Slow Xero answers keep the first handler busy long enough for the second to start.
    await org.addFault({ latencyMs: 400 });

    // Different topics, so different consumers: these run concurrently, and only one may create the contact.
    const events = await Promise.all([
      upsert(companyId, client('C-1050', { name: 'Matai Fencing', email: 'yard@matai.test', updatedAt: '2025-06-02T10:00:00Z' })),
      request(companyId, 'C-1050'),
    ]);
    const answers = await Promise.all(events.map((e) => syncedFor(e)));

    const all = await org.contacts();
    expect(all).toHaveLength(1);
    expect(answers.map((a) => a.xeroContactId)).toEqual([all[0]['ContactID'], all[0]['ContactID']]);
    expect(answers.filter((a) => a.action === 'created')).toHaveLength(1);
    expect(all[0]['EmailAddress']).toBe('yard@matai.test');
  });

  it('retries Xero server errors (reads, and writes under the same idempotency key) without a second contact', async () => {
    const { companyId, org } = await connectedCompany('flaky');
    await org.addFault({ errorRate: 1, errorStatus: 503, remaining: 2 });
    const created = await syncedFor(await upsert(companyId, client('C-1100', { name: 'Manuka Honey Co', updatedAt: '2025-06-01T10:00:00Z' })));
    expect(created.action).toBe('created');

    await org.addFault({ errorRate: 1, errorStatus: 503, remaining: 2 });
    const changed = await upsert(companyId, client('C-1100', { name: 'Manuka Honey Company', updatedAt: '2025-06-02T10:00:00Z' }));
    expect(await syncedFor(changed)).toMatchObject({ xeroContactId: created.xeroContactId, action: 'updated' });

    // An update first reads the contact (the field-by-field comparison): that read absorbs the two 503s, the write goes once.
    const updates = (await org.calls()).filter((c) => c.endpoint === 'POST /api.xro/2.0/Contacts/{id}');
    expect(updates.map((c) => c.status)).toEqual([200]);
    expect(await org.contacts()).toEqual([expect.objectContaining({ ContactID: created.xeroContactId, Name: 'Manuka Honey Company' })]);
    expect((await org.calls()).filter((c) => c.status === 503)).toHaveLength(4);
  });

  it('keeps a sync whose Xero calls fail for a while, dead-letters nothing, and answers it once Xero recovers', async () => {
    const { companyId, org } = await connectedCompany('down');
    await org.addFault({ errorRate: 1, errorStatus: 503 });
    const event = await upsert(companyId, client('C-1200', { name: 'Kowhai Cafe' }));

    // Each attempt is one candidate search, tried 3 times by the Xero client; the engine resends the operation.
    await eventually('two attempts at Xero', async () => (await org.calls()).length >= 6, 30_000);
    expect(answersTo(event)).toEqual([]);
    const attempts = await sql<{ outcome: string; error_code: string; calls_used: number }>(
      `SELECT outcome, error_code, calls_used FROM contacts.xero_operation_attempts WHERE company_id = $1 ORDER BY started_at`,
      [companyId],
    );
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts[0]).toEqual({ outcome: 'retrying', error_code: 'XERO_UNAVAILABLE', calls_used: 3 });
    await org.clearFaults();

    expect(await syncedFor(event)).toMatchObject({ clientId: 'C-1200', action: 'created' });
    expect(probe.on(deadLetterTopic(kafkaName(Topics.ClientUpserted))).filter((m) => m.json<{ id: string }>().id === event.id)).toEqual([]);
    expect(byNumber(await org.contacts(), 'C-1200')).toHaveLength(1);
  });

  it('keeps its own record of each company\u2019s clients and mappings, scoped by company', async () => {
    const pg = new Client({ connectionString: database.url });
    await pg.connect();
    try {
      const rows = await pg.query(`SELECT company_id, client_id, linked_by FROM contacts.contact_mappings WHERE client_id = 'C-900' ORDER BY company_id`);
      expect(rows.rows).toHaveLength(2);
      expect(new Set(rows.rows.map((r) => r.company_id)).size).toBe(2);
      const stored = await pg.query(`SELECT name, source_updated_at FROM contacts.clients WHERE client_id = 'C-300'`);
      expect(stored.rows).toEqual([{ name: 'Pohutukawa Press', source_updated_at: new Date('2025-06-01T11:00:00.000Z') }]);
    } finally {
      await pg.end();
    }
  });
});

describe('contact.sync_requested for a client not received yet waits for its client.upserted', () => {
  it('answers a request once its client arrives 1.5 s later: one contact, one contact.synced, no contact.sync_failed', async () => {
    const { companyId, org } = await connectedCompany('waits');
    const requested = await request(companyId, 'C-1300');
    const [parked] = await eventually('the parked request', async () => {
      const rows = await parkedRequests(companyId);
      return rows.length > 0 && rows;
    });
    expect(parked).toEqual({ client_id: 'C-1300', request_event_id: requested.id, correlation_id: requested.correlationId, request_count: 1 });
    expect(answersAbout(companyId, 'C-1300')).toEqual([]);

    await sleep(1_500);
    const upserted = await upsert(companyId, client('C-1300', { name: 'Kawakawa Tea' }));
    const answer = await answerTo(upserted);
    expect(answer.synced).toEqual({ clientId: 'C-1300', xeroContactId: expect.any(String), contactName: 'Kawakawa Tea', action: 'created' });
    // Caused by the upsert, in the waiting request's flow.
    expect(answer.message.json()).toMatchObject({ companyId, causationId: upserted.id, correlationId: requested.correlationId });
    expect(await parkedRequests(companyId)).toEqual([]);

    // Past the request's wait, the sweeper has nothing left to answer for it.
    await sleep(UNKNOWN_CLIENT_WAIT_MS + 3 * SWEEP_INTERVAL_MS);
    expect(answersAbout(companyId, 'C-1300').map((a) => a.message.topic)).toEqual([kafkaName(Topics.ContactSynced)]);
    expect(byNumber(await org.contacts(), 'C-1300')).toHaveLength(1);
  });

  it('answers CLIENT_UNKNOWN once, after the wait and not before, when the client never arrives', async () => {
    const companyId = uniqueId('never-');
    const sentAt = Date.now();
    const requested = await request(companyId, 'C-1400');

    const answer = await answerTo(requested);
    const envelope = answer.message.json<{ occurredAt: string; correlationId: string; causationId: string }>();
    expect(answer.failed).toEqual({
      clientId: 'C-1400',
      failure: { code: 'CLIENT_UNKNOWN', messages: ['Client C-1400 is unknown to Ledgerline: no client.upserted for it arrived within 4 seconds of the sync request'], retriable: false },
    });
    expect(envelope).toMatchObject({ correlationId: requested.correlationId, causationId: requested.id });
    const answeredAfter = Date.parse(envelope.occurredAt) - sentAt;
    expect(answeredAfter).toBeGreaterThanOrEqual(UNKNOWN_CLIENT_WAIT_MS);
    expect(answeredAfter).toBeLessThan(UNKNOWN_CLIENT_WAIT_MS + 5_000);
    expect(await parkedRequests(companyId)).toEqual([]);

    await sleep(5 * SWEEP_INTERVAL_MS);
    expect(answersAbout(companyId, 'C-1400')).toHaveLength(1);
  });

  it('keeps one parked request and gives one answer when the same unknown client is requested twice', async () => {
    const companyId = uniqueId('twice-requested-');
    // Same company key, same partition: consumed in this order.
    const first = await request(companyId, 'C-1500');
    const second = await request(companyId, 'C-1500');

    const parked = await eventually('both requests counted', async () => {
      const rows = await parkedRequests(companyId);
      return rows.length === 1 && rows[0].request_count === 2 && rows;
    });
    expect(parked).toEqual([{ client_id: 'C-1500', request_event_id: first.id, correlation_id: first.correlationId, request_count: 2 }]);

    expect((await failedFor(first)).failure.code).toBe('CLIENT_UNKNOWN');
    await sleep(5 * SWEEP_INTERVAL_MS);
    expect(answersAbout(companyId, 'C-1500')).toHaveLength(1);
    expect(answersTo(second)).toEqual([]);
    expect(await parkedRequests(companyId)).toEqual([]);
  });
});

describe('GET /v1/contacts/mappings', () => {
  const bearer = (companyId: string, role: string) => ({
    authorization: `Bearer ${new JwtService().sign({ sub: uniqueId('user-'), companyId, role }, { secret: JWT.secret, issuer: JWT.issuer, audience: JWT.audience, expiresIn: 600, algorithm: 'HS256' })}`,
  });
  const get = async (query: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${contacts.url}/v1/contacts/mappings${query}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { items: Record<string, unknown>[] } };
  };

  let own: string;
  let other: string;
  const linked: Record<string, ContactSyncedPayload> = {};

  beforeAll(async () => {
    own = (await connectedCompany('rest-own')).companyId;
    other = (await connectedCompany('rest-other')).companyId;
    for (const [companyId, clientId] of [[own, 'R-2'], [own, 'R-1'], [other, 'R-9']] as const) {
      linked[`${companyId}/${clientId}`] = await syncedFor(await upsert(companyId, client(clientId, { name: `Rest ${clientId}` })));
    }
  });

  it("lists the caller's own company's links, by client id, with paging", async () => {
    const { status, body } = await get('?pageSize=1', bearer(own, 'accountant'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ companyId: own, page: 1, pageSize: 1, total: 2 });
    expect(body.items).toEqual([
      {
        clientId: 'R-1',
        xeroContactId: linked[`${own}/R-1`].xeroContactId,
        contactName: 'Rest R-1',
        linkedBy: 'created',
        linkedAt: expect.any(String),
        lastWrittenAt: expect.any(String),
        status: 'ACTIVE',
        conflicted: false,
      },
    ]);
    expect((await get('?page=2&pageSize=1', bearer(own, 'practice_admin'))).body.items.map((i) => i['clientId'])).toEqual(['R-2']);
    expect((await get('?clientId=R-2', bearer(own, 'practice_admin'))).body.items.map((i) => i['clientId'])).toEqual(['R-2']);
  });

  it("lets a super admin read any company's links, and hides other companies from everyone else", async () => {
    const asSuperAdmin = await get(`?companyId=${other}`, bearer('ledgerline-ops', 'super_admin'));
    expect(asSuperAdmin.body).toMatchObject({ companyId: other, total: 1, items: [{ clientId: 'R-9', xeroContactId: linked[`${other}/R-9`].xeroContactId }] });
    expect(await get(`?companyId=${other}`, bearer(own, 'practice_admin'))).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });

  it('refuses a missing token, the client role and a bad query with coded errors', async () => {
    expect(await get('')).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(await get('', bearer(own, 'client'))).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await get('?pageSize=500', bearer(own, 'accountant'))).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', message: 'pageSize must be at most 200' } });
    expect(await get('?sort=name', bearer(own, 'accountant'))).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });
});
