import { createEvent, Topics } from '@ledgerline/contracts';
import { Logger } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import { DatabaseError } from 'pg';
import { DataSource } from 'typeorm';
import { MessagingOptions } from '../messaging.options';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { DeadLetterPublisher } from './dead-letter.service';
import { ConsumerStoppingError, EventConsumer } from './event-consumer.service';

const adminShutdown = () => Object.assign(new DatabaseError('terminating connection due to administrator command', 0, 'error'), { code: '57P01' });
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' });

/** One consumer with every dependency faked: `failures` are thrown by the transaction, in order, before it succeeds. */
function consumerWith(failures: unknown[], options: { databaseAnswers?: boolean; maxAttempts?: number } = {}) {
  const queue = [...failures];
  const dataSource = {
    transaction: jest.fn(async () => {
      if (queue.length > 0) throw queue.shift();
      return 'processed';
    }),
    query: jest.fn(async () => {
      if (options.databaseAnswers === false) throw refused();
      return [{ '?column?': 1 }];
    }),
  };
  const deadLetters = { publish: jest.fn(async () => undefined) };
  const relay = { nudge: jest.fn() };
  const messagingOptions: MessagingOptions = {
    service: 'unit',
    brokers: [],
    schema: 'unit',
    consumes: [],
    produces: [],
    maxAttempts: options.maxAttempts ?? 3,
    retryBaseMs: 1,
    databaseRetryMaxMs: 5,
  };
  const consumer = new EventConsumer(messagingOptions, dataSource as unknown as DataSource, deadLetters as unknown as DeadLetterPublisher, relay as unknown as OutboxRelay);
  const heartbeat = jest.fn(async () => undefined);
  const event = createEvent(Topics.ContactSyncRequested, 'acme', { clientId: 'c-1' });
  const context = {
    getMessage: () => ({ key: Buffer.from('acme'), value: Buffer.from(JSON.stringify(event)), offset: '7', headers: {} }),
    getTopic: () => Topics.ContactSyncRequested,
    getPartition: () => 0,
    getHeartbeat: () => heartbeat,
  } as unknown as KafkaContext;
  const consume = () => consumer.consume(Topics.ContactSyncRequested, context, async () => undefined);
  return { consumer, consume, dataSource, deadLetters, heartbeat };
}

describe('EventConsumer during a database outage', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('waits out more failures than it has attempts when Postgres is restarting, and dead-letters nothing', async () => {
    const { consume, dataSource, deadLetters, heartbeat } = consumerWith([adminShutdown(), new Error('Connection terminated unexpectedly'), ...Array.from({ length: 8 }, adminShutdown)]);
    await expect(consume()).resolves.toBe('processed');
    expect(dataSource.transaction).toHaveBeenCalledTimes(11);
    expect(deadLetters.publish).not.toHaveBeenCalled();
    expect(heartbeat).toHaveBeenCalled();
  });

  it('treats a refused connect as an outage when the database does not answer either', async () => {
    const { consume, deadLetters } = consumerWith(Array.from({ length: 6 }, refused), { databaseAnswers: false });
    await expect(consume()).resolves.toBe('processed');
    expect(deadLetters.publish).not.toHaveBeenCalled();
  });

  it('counts a refused connect as an ordinary attempt when the database answers (the refusal came from elsewhere)', async () => {
    const { consume, deadLetters } = consumerWith(Array.from({ length: 6 }, refused), { databaseAnswers: true, maxAttempts: 3 });
    await expect(consume()).resolves.toBe('dead-lettered');
    expect(deadLetters.publish).toHaveBeenCalledWith(expect.objectContaining({ attempts: 3, reason: expect.stringContaining('gave up after 3 attempts: ECONNREFUSED') }));
  });

  it('still dead-letters other transient failures after its attempts', async () => {
    const { consume, deadLetters } = consumerWith(Array.from({ length: 5 }, () => new Error('Xero answered 503')), { maxAttempts: 2 });
    await expect(consume()).resolves.toBe('dead-lettered');
    expect(deadLetters.publish).toHaveBeenCalledTimes(1);
  });

  it('gives up waiting when the service stops, leaving the message uncommitted rather than dead-lettered', async () => {
    const { consumer, consume, deadLetters } = consumerWith(Array.from({ length: 10_000 }, adminShutdown));
    const outcome = consume();
    await new Promise((resolve) => setTimeout(resolve, 30));
    consumer.stop();
    await expect(outcome).rejects.toBeInstanceOf(ConsumerStoppingError);
    expect(deadLetters.publish).not.toHaveBeenCalled();
  });

  it('takes no new message once stopped', async () => {
    const { consumer, consume, dataSource } = consumerWith([]);
    consumer.stop();
    await expect(consume()).rejects.toBeInstanceOf(ConsumerStoppingError);
    expect(dataSource.transaction).not.toHaveBeenCalled();
  });
});

describe("EventConsumer's per-company activity", () => {
  it('is busy while one of the company\'s events is handled, then counts its quiet from when it ended', async () => {
    const { consumer, dataSource } = consumerWith([]);
    expect(consumer.quietForMs('acme')).toBe(Infinity);
    let finish!: () => void;
    dataSource.transaction.mockImplementationOnce(() => new Promise((resolve) => (finish = () => resolve('processed'))));
    const handling = consumer.consume(Topics.ContactSyncRequested, {
      getMessage: () => ({ key: Buffer.from('acme'), value: Buffer.from(JSON.stringify(createEvent(Topics.ContactSyncRequested, 'acme', { clientId: 'c-2' }))), headers: {} }),
      getTopic: () => Topics.ContactSyncRequested,
      getPartition: () => 0,
      getHeartbeat: () => async () => undefined,
    } as unknown as KafkaContext, async () => undefined);
    await new Promise((r) => setImmediate(r));
    expect(consumer.quietForMs('acme')).toBe(0);
    expect(consumer.quietForMs('other-company')).toBe(Infinity);
    finish();
    await expect(handling).resolves.toBe('processed');
    await new Promise((r) => setTimeout(r, 20));
    expect(consumer.quietForMs('acme')).toBeGreaterThanOrEqual(15);
    expect(consumer.quietForMs('acme')).toBeLessThan(1_000);
  });
});
