import { LedgerlineEvent, parseEvent, Topic } from '@ledgerline/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import { DataSource, EntityManager } from 'typeorm';
import { contractTopic } from '../kafka/topic-names';
import { MESSAGING_OPTIONS, MessagingOptions } from '../messaging.options';
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

/**
 * Runs one Kafka message through a handler, once:
 * validates it against its contract (a broken one goes to the dead-letter topic with every reason),
 * skips an event this consumer already processed, runs the handler in a transaction together with
 * the record that it ran (and the outbox rows it writes), retries transient failures with backoff
 * and jitter, and dead-letters what still fails after the configured attempts, so nothing behind
 * it waits for ever. It throws only when even the dead-letter topic cannot be written; the message
 * is then redelivered rather than lost.
 */
@Injectable()
export class EventConsumer {
  private readonly logger = new Logger(EventConsumer.name);
  private readonly ledger: string;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly dataSource: DataSource,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly relay: OutboxRelay,
  ) {
    this.ledger = `"${assertSchemaName(options.schema)}"."processed_events"`;
  }

  async consume<T extends Topic>(topic: T, context: KafkaContext, handler: EventHandler<T>, options: ConsumeOptions = {}): Promise<ConsumeOutcome> {
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
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.runOnce(consumer, event, handler);
        if (outcome === 'processed') this.relay.nudge();
        return outcome;
      } catch (error) {
        const reason = describeError(error);
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
        await waitWithHeartbeat(delay, context);
      }
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

async function waitWithHeartbeat(ms: number, context: KafkaContext): Promise<void> {
  const heartbeat = context.getHeartbeat();
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(HEARTBEAT_EVERY_MS, until - Date.now())));
    await heartbeat().catch(() => undefined);
  }
}
