import { Topics } from '@ledgerline/contracts';
import { createTestDatabase, ensureKafka, eventually, KafkaProbe, uniqueId } from '@ledgerline/testing';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DatabaseWakeups, EventPublisher, messagingTablesSql, MessagingModule, outboxTraceContextMigration } from '../src';

jest.setTimeout(60_000);

const prefix = `${uniqueId('wake-it-')}.`;
const requested = `${prefix}${Topics.ContactSyncRequested}`;
const company = 'acme';
/** The relay's poll, far longer than any wait below: what arrives sooner was woken by its notification. */
const POLL_MS = 60_000;

let database: { url: string; drop: () => Promise<void> };
let probe: KafkaProbe;
let relaying: INestApplicationContext;
let writing: INestApplicationContext;

async function messagingContext(url: string, brokers: string, relay: boolean): Promise<INestApplicationContext> {
  @Module({
    imports: [
      TypeOrmModule.forRoot({ type: 'postgres', url, synchronize: false }),
      MessagingModule.forRoot({
        service: relay ? 'relaying' : 'writing',
        brokers: brokers.split(','),
        schema: 'shared',
        consumes: [],
        produces: [Topics.ContactSyncRequested],
        maxAttempts: 3,
        retryBaseMs: 50,
        relayIntervalMs: POLL_MS,
        relayAutoStart: relay,
      }),
    ],
  })
  class ContextModule {}
  const app = await NestFactory.createApplicationContext(ContextModule, { logger: ['error'] });
  await app.init();
  return app;
}

/** Publishes from the context whose relay does not run: like an API replica writing while another process relays. */
async function publishElsewhere(clientId: string): Promise<{ id: string; committedAt: number }> {
  const event = await writing.get(DataSource).transaction((tx) => writing.get(EventPublisher).publish(tx, Topics.ContactSyncRequested, company, { clientId }));
  return { id: event.id, committedAt: Date.now() };
}

const arrival = (id: string) => probe.waitFor(`event ${id} on Kafka`, (m) => m.topic === requested && m.json<{ id: string }>().id === id, 10_000);

beforeAll(async () => {
  process.env.KAFKA_TOPIC_PREFIX = prefix;
  const brokers = await ensureKafka();
  database = await createTestDatabase();
  const setup = new DataSource({ type: 'postgres', url: database.url });
  await setup.initialize();
  await setup.query(`CREATE SCHEMA "shared"`);
  for (const statement of messagingTablesSql('shared').up) await setup.query(statement);
  const runner = setup.createQueryRunner();
  await new (outboxTraceContextMigration('shared'))().up(runner);
  await runner.release();
  await setup.destroy();
  probe = new KafkaProbe(brokers);
  await probe.watch([requested]);
  // Two Nest contexts, each with its own pool, so the writer's commit and the relay's LISTEN are separate sessions.
  relaying = await messagingContext(database.url, brokers, true);
  writing = await messagingContext(database.url, brokers, false);
  await eventually('the relay to listen', () => relaying.get(DatabaseWakeups).listening);
});

afterAll(async () => {
  await writing?.close();
  await relaying?.close();
  await probe?.close();
  await database?.drop();
});

describe('wake-ups across processes (LISTEN/NOTIFY)', () => {
  it("relays a row committed by another process at once, though the relay's poll is a minute", async () => {
    // The relay's first look at the empty outbox has happened; from here only a wake-up makes it look sooner than a minute.
    await new Promise((r) => setTimeout(r, 300));
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const event = await publishElsewhere(`woken-${i}`);
      delays.push((await arrival(event.id)).receivedAt - event.committedAt);
    }
    process.stdout.write(`outbox row committed elsewhere → on Kafka: ${delays.map((d) => `${d} ms`).join(', ')}\n`);
    expect(Math.max(...delays)).toBeLessThan(2_000);
  });

  it('leaves a row written without a notification to the poll, which shows the wake-up is what sends the others', async () => {
    const id = randomUUID();
    await writing
      .get(DataSource)
      .query(`INSERT INTO "shared"."outbox" ("event_id", "topic", "message_key", "payload") VALUES ($1, $2, $3, $4)`, [
        id,
        Topics.ContactSyncRequested,
        company,
        JSON.stringify({ id, type: Topics.ContactSyncRequested, companyId: company }),
      ]);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(probe.on(requested).filter((m) => m.json<{ id: string }>().id === id)).toHaveLength(0);
    // The next notified commit wakes the relay, which sends both, in commit order.
    const next = await publishElsewhere('after-silent');
    await arrival(next.id);
    const order = probe.on(requested).map((m) => m.json<{ id: string }>().id);
    expect(order.indexOf(id)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(id)).toBeLessThan(order.indexOf(next.id));
  });

  it('listens again after its session is killed, and is woken as before', async () => {
    const wakeups = relaying.get(DatabaseWakeups);
    const admin = new DataSource({ type: 'postgres', url: database.url });
    await admin.initialize();
    try {
      const terminated: { pid: number }[] = await admin.query(
        `SELECT pg_terminate_backend(pid) AS "pid" FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
      );
      expect(terminated).toHaveLength(1);
      await eventually('the listener to notice', () => !wakeups.listening, 5_000, 20);
      await eventually('the listener to be back', () => wakeups.listening, 10_000, 50);
    } finally {
      await admin.destroy();
    }
    const event = await publishElsewhere('after-reconnect');
    expect((await arrival(event.id)).receivedAt - event.committedAt).toBeLessThan(2_000);
  });
});
