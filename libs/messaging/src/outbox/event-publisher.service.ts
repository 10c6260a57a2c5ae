import { createEvent, EventOrigin, LedgerlineEvent, PayloadOf, Topic } from '@ledgerline/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MESSAGING_OPTIONS, MessagingOptions } from '../messaging.options';
import { activeTraceParent } from '../tracing/trace-context';
import { wakeupChannel } from '../database/database-wakeups';
import { assertSchemaName } from './messaging-tables';
import { OutboxRelay } from './outbox-relay.service';

/**
 * Publishes events through the transactional outbox: the event row is written with the caller's
 * transaction, so it goes out if and only if the state change commits. The relay sends it to Kafka.
 */
@Injectable()
export class EventPublisher {
  private readonly table: string;
  private readonly channel: string;

  constructor(
    @Inject(MESSAGING_OPTIONS) options: MessagingOptions,
    private readonly relay: OutboxRelay,
  ) {
    this.table = `"${assertSchemaName(options.schema)}"."outbox"`;
    this.channel = wakeupChannel(options.schema, 'outbox');
  }

  /** Builds the event and records it in the outbox inside `tx`. */
  async publish<T extends Topic>(tx: EntityManager, topic: T, companyId: string, payload: PayloadOf<T>, origin?: EventOrigin): Promise<LedgerlineEvent<T>> {
    const event = createEvent(topic, companyId, payload, origin);
    await this.record(tx, event);
    return event;
  }

  /** Records an already built event in the outbox inside `tx`, with the trace it is written in (the relay publishes it with that). */
  async record(tx: EntityManager, event: LedgerlineEvent): Promise<void> {
    if (!tx.queryRunner?.isTransactionActive) {
      throw new Error('EventPublisher.record needs an EntityManager inside a transaction');
    }
    // The notification reaches the relay when the transaction commits (Postgres sends one per channel per transaction).
    await tx.query(
      `WITH "row" AS (INSERT INTO ${this.table} ("event_id", "topic", "message_key", "payload", "trace_parent") VALUES ($1, $2, $3, $4, $5) RETURNING 1)
       SELECT pg_notify($6, '') FROM "row"`,
      [event.id, event.type, event.companyId, JSON.stringify(event), activeTraceParent(), this.channel],
    );
  }

  /** Tells the relay that new rows have committed, so they go out without waiting for its next poll. */
  flush(): void {
    this.relay.nudge();
  }
}
