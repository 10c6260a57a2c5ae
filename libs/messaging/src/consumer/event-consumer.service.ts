import { LedgerlineEvent, parseEvent, Topic } from '@ledgerline/contracts';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import { DataSource, EntityManager } from 'typeorm';
import { isConnectionFailure, isDatabaseUnavailable } from '../database/database-unavailable';
import { contractTopic } from '../kafka/topic-names';
import { MESSAGING_OPTIONS, MessagingOptions } from '../messaging.options';
import { eventsConsumed } from '../metrics/messaging-metrics';
import { assertSchemaName } from '../outbox/messaging-tables';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { DeadLetterPublisher } from './dead-letter.service';
import { describeError, isRetriable } from './event-handling.exception';

export type EventHandler<T extends Topic> = (event: LedgerlineEvent<T>, tx: EntityManager) => Promise<void>;

export type ConsumeOutcome = 'processed' | 'duplicate' | 'dead-lettered';

export interface ConsumeOptions {
  /** Names this handler in the processed-event ledger and on dead letters; defaults to the topic. */
  consumer?: string;
}

const HEARTBEAT_EVERY_MS = 2_000;
/** While the database is away, look again at least this often, so work resumes soon after it returns. */
const DEFAULT_OUTAGE_RETRY_MAX_MS = 5_000;
/** While the database is away, say so in the log about this often, not on every retry. */
const OUTAGE_LOG_EVERY_MS = 30_000;
const PING_TIMEOUT_MS = 2_000;
/** How long a company's consumer activity is remembered after its last event. */
const ACTIVITY_KEPT_MS = 60_000;

/** The company a message is about: its key (the outbox and every publisher key events by company). */
function companyOf(context: KafkaContext): string | undefined {
  return context.getMessage().key?.toString() || undefined;
}

/**
 * Thrown instead of handling a message once the service is shutting down: the offset is not committed,
 * so the message is delivered again, to this service after its restart or to another replica.
 */
export class ConsumerStoppingError extends Error {
  readonly retriable = true;

  constructor(what: string) {
    super(`the service is shutting down; ${what} is left for redelivery`);
    this.name = 'ConsumerStoppingError';
  }
}

/**
 * Runs one Kafka message through a handler, once:
 * validates it against its contract (a broken one goes to the dead-letter topic with every reason),
 * skips an event this consumer already processed, runs the handler in a transaction together with
 * the record that it ran (and the outbox rows it writes), retries transient failures with backoff
 * and jitter, and dead-letters what still fails after the configured attempts, so nothing behind
 * it waits for ever. A database that is unreachable or restarting is not such a failure: the
 * message waits (heartbeating, so the group keeps its partition) until the database answers again,
 * without using up attempts, because dead-lettering every event of a failover would lose work that
 * nothing is wrong with. It throws only when even the dead-letter topic cannot be written, or when
 * the service is shutting down; the message is then redelivered rather than lost.
 */
@Injectable()
export class EventConsumer implements OnModuleDestroy {
  private readonly logger = new Logger(EventConsumer.name);
  private readonly ledger: string;
  private readonly outageRetryMaxMs: number;
  private stopping = false;
  private readonly wakers = new Set<() => void>();
  /** Per company: events being handled now, and when the last one ended (for `quietForMs`). */
  private readonly activity = new Map<string, { active: number; lastFinishedAt: number }>();
  private lastActivityPrune = Date.now();

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly dataSource: DataSource,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly relay: OutboxRelay,
  ) {
    this.ledger = `"${assertSchemaName(options.schema)}"."processed_events"`;
    this.outageRetryMaxMs = options.databaseRetryMaxMs ?? DEFAULT_OUTAGE_RETRY_MAX_MS;
  }

  onModuleDestroy(): void {
    this.stop();
  }

  /**
   * Takes no new message and ends the waits of those held back by a database outage (they throw
   * `ConsumerStoppingError`, so they are not committed). Handlers already running finish.
   */
  stop(): void {
    this.stopping = true;
    for (const wake of this.wakers) wake();
  }

  async consume<T extends Topic>(topic: T, context: KafkaContext, handler: EventHandler<T>, options: ConsumeOptions = {}): Promise<ConsumeOutcome> {
    const company = companyOf(context);
    const activity = company === undefined ? undefined : this.activityOf(company);
    if (activity) activity.active++;
    try {
      const outcome = await this.consumeOnce(topic, context, handler, options);
      eventsConsumed.inc({ topic, outcome });
      return outcome;
    } finally {
      if (activity) {
        activity.active--;
        activity.lastFinishedAt = Date.now();
      }
    }
  }

  /**
   * How long this process has handled no event of the company, in ms (0 while one is being handled, Infinity when
   * none was lately). Messages fetched together are handled one after another, so a short quiet means the rest of a
   * burst may still be coming, and a longer one that the company's events have all been handled.
   */
  quietForMs(companyId: string): number {
    const activity = this.activity.get(companyId);
    if (!activity) return Infinity;
    return activity.active > 0 ? 0 : Date.now() - activity.lastFinishedAt;
  }

  private activityOf(companyId: string): { active: number; lastFinishedAt: number } {
    const now = Date.now();
    if (now - this.lastActivityPrune > ACTIVITY_KEPT_MS) {
      this.lastActivityPrune = now;
      for (const [company, a] of this.activity) if (a.active === 0 && now - a.lastFinishedAt > ACTIVITY_KEPT_MS) this.activity.delete(company);
    }
    let activity = this.activity.get(companyId);
    if (!activity) {
      activity = { active: 0, lastFinishedAt: 0 };
      this.activity.set(companyId, activity);
    }
    return activity;
  }

  private async consumeOnce<T extends Topic>(topic: T, context: KafkaContext, handler: EventHandler<T>, options: ConsumeOptions): Promise<ConsumeOutcome> {
    const message = context.getMessage();
    const kafkaTopicName = context.getTopic();
    const consumer = options.consumer ?? topic;
    const deadLetter = (reason: string, attempts: number) =>
      this.deadLetters.publish({ topic: kafkaTopicName, partition: context.getPartition(), message, reason, consumer, attempts });

    if (contractTopic(kafkaTopicName) !== topic) {
      await deadLetter(`consumer for ${topic} received a message from ${kafkaTopicName}`, 1);
      return 'dead-lettered';
    }
    const parsed = parseEvent(topic, message.value as Buffer | string | null);
    if (!parsed.ok) {
      await deadLetter(parsed.reason, 1);
      return 'dead-lettered';
    }

    const event = parsed.event;
    let outage: { since: number; rounds: number; loggedAt: number } | undefined;
    for (let attempt = 1; ; attempt++) {
      if (this.stopping) throw new ConsumerStoppingError(`${topic} event ${event.id}`);
      try {
        const outcome = await this.runOnce(consumer, event, handler);
        if (outcome === 'processed') this.relay.nudge();
        if (outage) this.logger.log(`${topic} event ${event.id} went through once the database was back, after ${Math.round((Date.now() - outage.since) / 1000)} s`);
        return outcome;
      } catch (error) {
        const reason = describeError(error);
        if (await this.isOutage(error)) {
          // Not an attempt: the event has not been tried against a database that answers.
          attempt--;
          const now = Date.now();
          outage ??= { since: now, rounds: 0, loggedAt: 0 };
          outage.rounds++;
          const delay = Math.min(this.outageRetryMaxMs, backoffDelay(outage.rounds, this.options.retryBaseMs));
          if (now - outage.loggedAt >= OUTAGE_LOG_EVERY_MS) {
            outage.loggedAt = now;
            this.logger.warn(`${topic} event ${event.id} waits for the database (unavailable for ${Math.round((now - outage.since) / 1000)} s): ${reason}`);
          }
          await this.waitWithHeartbeat(delay, context);
          continue;
        }
        if (!isRetriable(error)) {
          await deadLetter(reason, attempt);
          return 'dead-lettered';
        }
        if (attempt >= this.options.maxAttempts) {
          await deadLetter(`gave up after ${attempt} attempts: ${reason}`, attempt);
          return 'dead-lettered';
        }
        const delay = backoffDelay(attempt, this.options.retryBaseMs);
        this.logger.warn(`${topic} event ${event.id} failed (attempt ${attempt} of ${this.options.maxAttempts}), retrying in ${delay} ms: ${reason}`);
        await this.waitWithHeartbeat(delay, context);
      }
    }
  }

  /**
   * A failure caused by the database being away. A refused or reset socket could also be an HTTP
   * call the handler made, so for those the database is asked whether it answers.
   */
  private async isOutage(error: unknown): Promise<boolean> {
    if (isDatabaseUnavailable(error)) return true;
    if (!isConnectionFailure(error)) return false;
    return !(await this.databaseAnswers());
  }

  private async databaseAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
    try {
      return await Promise.race([this.dataSource.query('SELECT 1').then(() => true, () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sleeps `ms`, heartbeating so the group does not take the partition away; a shutdown ends it early. */
  private async waitWithHeartbeat(ms: number, context: KafkaContext): Promise<void> {
    const heartbeat = context.getHeartbeat();
    const until = Date.now() + ms;
    while (Date.now() < until && !this.stopping) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.wakers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(HEARTBEAT_EVERY_MS, until - Date.now()));
        this.wakers.add(wake);
      });
      await heartbeat().catch(() => undefined);
    }
  }

  private async runOnce<T extends Topic>(consumer: string, event: LedgerlineEvent<T>, handler: EventHandler<T>): Promise<ConsumeOutcome> {
    return this.dataSource.transaction(async (tx) => {
      const claimed: unknown[] = await tx.query(
        `INSERT INTO ${this.ledger} ("consumer", "event_id", "company_id") VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING "event_id"`,
        [consumer, event.id, event.companyId],
      );
      if (claimed.length === 0) return 'duplicate';
      await handler(event, tx);
      return 'processed';
    });
  }
}

/** Exponential backoff, capped at 30 s, half of it random ("equal jitter") so retries spread out. */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
