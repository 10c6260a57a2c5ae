import { createEvent, deadLetterTopic, Topics } from '@ledgerline/contracts';
import { createTestDatabase, ensureKafka, eventually, freePort, KafkaProbe, ServiceProcess, startServiceProcess, uniqueId } from '@ledgerline/testing';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DLQ_HEADERS, EventPublisher, messagingTablesSql, MessagingModule, OutboxRelay, outboxTraceContextMigration } from '../src';

jest.setTimeout(90_000);

const MAX_ATTEMPTS = 3;
const prefix = `${uniqueId('it-')}.`;
const requested = `${prefix}${Topics.ContactSyncRequested}`;
const synced = `${prefix}${Topics.ContactSynced}`;
const company = 'acme';

let database: { url: string; drop: () => Promise<void> };
let brokers: string;
let ledger: ServiceProcess;
let probe: KafkaProbe;
let publisherApp: INestApplicationContext;
let dataSource: DataSource;
let publisher: EventPublisher;
let relay: OutboxRelay;

const syncedFor = (clientId: string) => probe.on(synced).filter((m) => m.json<{ payload: { clientId: string } }>().payload.clientId === clientId);
const requestedWithId = (id: string) => probe.on(requested).filter((m) => m.json<{ id: string }>().id === id);
const notesFor = async (clientId: string): Promise<{ event_id: string; attempt: number }[]> =>
  dataSource.query(`SELECT "event_id", "attempt" FROM "ledger"."notes" WHERE "client_id" = $1`, [clientId]);
const rawRequest = (clientId: string) => JSON.stringify(createEvent(Topics.ContactSyncRequested, company, { clientId }));

beforeAll(async () => {
  process.env.KAFKA_TOPIC_PREFIX = prefix;
  brokers = await ensureKafka();
  database = await createTestDatabase();

  const setup = new DataSource({ type: 'postgres', url: database.url });
  await setup.initialize();
  for (const schema of ['publisher', 'ledger']) {
    await setup.query(`CREATE SCHEMA "${schema}"`);
    for (const statement of messagingTablesSql(schema).up) await setup.query(statement);
    const runner = setup.createQueryRunner();
    await new (outboxTraceContextMigration(schema))().up(runner);
    await runner.release();
  }
  await setup.query(`CREATE TABLE "ledger"."notes" ("id" SERIAL PRIMARY KEY, "event_id" UUID NOT NULL, "client_id" TEXT NOT NULL, "attempt" INT NOT NULL)`);
  await setup.destroy();

  probe = new KafkaProbe(brokers);
  await probe.watch([requested, synced, deadLetterTopic(requested)]);

  ledger = await startServiceProcess({
    entry: 'libs/messaging/test/fixtures/ledger-service.ts',
    port: await freePort(),
    env: { DATABASE_URL: database.url, KAFKA_BROKERS: brokers, KAFKA_TOPIC_PREFIX: prefix, FIXTURE_SCHEMA: 'ledger', EVENT_MAX_ATTEMPTS: String(MAX_ATTEMPTS) },
  });

  @Module({
    imports: [
      TypeOrmModule.forRoot({ type: 'postgres', url: database.url, synchronize: false }),
      MessagingModule.forRoot({
        service: 'publisher-under-test',
        brokers: brokers.split(','),
        schema: 'publisher',
        consumes: [],
        produces: [Topics.ContactSyncRequested],
        maxAttempts: MAX_ATTEMPTS,
        retryBaseMs: 50,
        relayIntervalMs: 100,
        relayAutoStart: false,
      }),
    ],
  })
  class PublisherModule {}
  publisherApp = await NestFactory.createApplicationContext(PublisherModule, { logger: ['error'] });
  await publisherApp.init();
  dataSource = publisherApp.get(DataSource);
  publisher = publisherApp.get(EventPublisher);
  relay = publisherApp.get(OutboxRelay);
});

afterAll(async () => {
  await publisherApp?.close();
  await ledger?.stop();
  await probe?.close();
  await database?.drop();
});

describe('messaging over a real broker and database', () => {
  it("carries an event from one service's outbox to another service's process", async () => {
    relay.start();
    const event = await dataSource.transaction((tx) => publisher.publish(tx, Topics.ContactSyncRequested, company, { clientId: 'cross-1' }));
    publisher.flush();

    const answer = await probe.waitFor('contact.synced for cross-1', (m) => m.topic === synced && m.json<{ causationId: string }>().causationId === event.id);
    expect(answer.key).toBe(company);
    expect(answer.json()).toMatchObject({ type: Topics.ContactSynced, companyId: company, correlationId: event.correlationId });
    expect(await notesFor('cross-1')).toHaveLength(1);
  });

  it('publishes a committed event once the stopped relay runs again', async () => {
    await relay.stop();
    const event = await dataSource.transaction((tx) => publisher.publish(tx, Topics.ContactSyncRequested, company, { clientId: 'relay-paused' }));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(requestedWithId(event.id)).toHaveLength(0);
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM "publisher"."outbox" WHERE "event_id" = $1 AND "published_at" IS NULL`, [event.id]);
    expect(count).toBe(1);

    relay.start();
    await probe.waitFor('the paused event on its topic', (m) => m.topic === requested && m.json<{ id: string }>().id === event.id);
    await eventually('the consumer to act on it', () => syncedFor('relay-paused').length === 1);
  });

  it('sends nothing when the transaction rolls back', async () => {
    let eventId = '';
    await expect(
      dataSource.transaction(async (tx) => {
        eventId = (await publisher.publish(tx, Topics.ContactSyncRequested, company, { clientId: 'rolled-back' })).id;
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const marker = await dataSource.transaction((tx) => publisher.publish(tx, Topics.ContactSyncRequested, company, { clientId: 'after-rollback' }));
    publisher.flush();
    // Events leave in commit order, so once the later one has arrived the rolled-back one would have too.
    await probe.waitFor('the event committed after the rollback', (m) => m.topic === requested && m.json<{ id: string }>().id === marker.id);
    expect(requestedWithId(eventId)).toHaveLength(0);
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM "publisher"."outbox" WHERE "event_id" = $1`, [eventId]);
    expect(count).toBe(0);
  });

  it('gives an event delivered twice one effect', async () => {
    const value = rawRequest('twice-1');
    await probe.send(requested, [{ key: company, value }]);
    await probe.send(requested, [{ key: company, value }]);
    await probe.send(requested, [{ key: company, value: rawRequest('after-twice') }]);
    await eventually('the message after the duplicate to be processed', () => syncedFor('after-twice').length === 1);
    expect(await notesFor('twice-1')).toHaveLength(1);
    expect(syncedFor('twice-1')).toHaveLength(1);
  });

  it('dead-letters a message that is not JSON and one that breaks its contract, with the reason, and goes on', async () => {
    const broken = createEvent(Topics.ContactSyncRequested, company, { clientId: 'valid-for-now' });
    const brokenJson = JSON.stringify({ ...broken, payload: { clientId: '' } });
    await probe.send(requested, [
      { key: company, value: '{"this is": not json' },
      { key: company, value: brokenJson },
      { key: company, value: rawRequest('after-bad-input') },
    ]);

    const notJson = await probe.waitFor('the non-JSON message in the DLQ', (m) => m.topic === deadLetterTopic(requested) && m.value === '{"this is": not json');
    expect(notJson.headers[DLQ_HEADERS.reason]).toMatch(/^the message is not JSON: /);
    expect(notJson.headers[DLQ_HEADERS.consumer]).toBe(`ledger-fixture/${Topics.ContactSyncRequested}`);
    expect(notJson.headers[DLQ_HEADERS.attempts]).toBe('1');
    expect(notJson.headers[DLQ_HEADERS.topic]).toBe(requested);
    expect(notJson.key).toBe(company);

    const invalid = await probe.waitFor('the contract-breaking message in the DLQ', (m) => m.topic === deadLetterTopic(requested) && m.value === brokenJson);
    expect(invalid.headers[DLQ_HEADERS.reason]).toContain('payload.clientId: clientId must be 1-128 characters');

    await eventually('the message after them to be processed', () => syncedFor('after-bad-input').length === 1);
  });

  it('retries a transient failure until it succeeds', async () => {
    await probe.send(requested, [{ key: company, value: rawRequest('flaky-2-a') }]);
    await eventually('the flaky event to succeed', () => syncedFor('flaky-2-a').length === 1);
    expect(await notesFor('flaky-2-a')).toEqual([expect.objectContaining({ attempt: 3 })]);
  });

  it('dead-letters a handler that always fails after the configured attempts, and does not block what follows', async () => {
    const failing = rawRequest('always-fail-1');
    await probe.send(requested, [
      { key: company, value: failing },
      { key: company, value: rawRequest('after-always-fail') },
    ]);
    const letter = await probe.waitFor('the failing event in the DLQ', (m) => m.topic === deadLetterTopic(requested) && m.value === failing);
    expect(letter.headers[DLQ_HEADERS.attempts]).toBe(String(MAX_ATTEMPTS));
    expect(letter.headers[DLQ_HEADERS.reason]).toBe(`gave up after ${MAX_ATTEMPTS} attempts: the ledger is unavailable`);
    await eventually('the event after it to be processed', () => syncedFor('after-always-fail').length === 1);
    expect(await notesFor('always-fail-1')).toHaveLength(0);
  });

  it('dead-letters a permanent failure at once', async () => {
    const blocked = rawRequest('permanent-1');
    await probe.send(requested, [{ key: company, value: blocked }]);
    const letter = await probe.waitFor('the blocked event in the DLQ', (m) => m.topic === deadLetterTopic(requested) && m.value === blocked);
    expect(letter.headers[DLQ_HEADERS.attempts]).toBe('1');
    expect(letter.headers[DLQ_HEADERS.reason]).toBe('CLIENT_BLOCKED: client permanent-1 is blocked');
  });
});
