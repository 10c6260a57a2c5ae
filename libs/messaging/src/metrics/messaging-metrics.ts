import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { consumerGroupId } from '../kafka/kafka-options';
import { KafkaConnection } from '../kafka/kafka-connection.service';
import { contractTopic, kafkaTopic } from '../kafka/topic-names';
import { MESSAGING_OPTIONS, MessagingOptions } from '../messaging.options';
import { assertSchemaName } from '../outbox/messaging-tables';
import { counter, scrapedGauge } from './metric';

/** Events a consumer finished with, by contract topic and outcome (processed, duplicate, dead-lettered). */
export const eventsConsumed = counter({
  name: 'ledgerline_events_consumed_total',
  help: 'Kafka events a consumer finished with, by topic and outcome (processed, duplicate, dead-lettered)',
  labelNames: ['topic', 'outcome'],
});

/** Messages parked on `<topic>.dlq`, by the topic they came from and the consumer that gave up. */
export const eventsDeadLettered = counter({
  name: 'ledgerline_events_dead_lettered_total',
  help: 'Kafka messages sent to the dead-letter topic, by original topic and consumer',
  labelNames: ['topic', 'consumer'],
});

/** How long consumer lag is reused between scrapes: asking the cluster costs a few requests per topic. */
const CONSUMER_LAG_CACHE_MS = 15_000;

/**
 * The messaging layer's scrape-time gauges: how far the outbox is behind (the age of its oldest unsent row)
 * and how far the service's consumer group is behind each topic it reads (end offsets minus committed).
 */
@Injectable()
export class MessagingMetrics implements OnModuleInit {
  private readonly outbox: string;
  private lag?: { at: number; byTopic: Map<string, number> };

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaConnection,
  ) {
    this.outbox = `"${assertSchemaName(options.schema)}"."outbox"`;
  }

  onModuleInit(): void {
    scrapedGauge({ name: 'ledgerline_outbox_lag_seconds', help: 'Age of the oldest outbox row not yet sent to Kafka (0 when all are sent)' }, async (gauge) => {
      const [row]: { age: number | null }[] = await this.dataSource.query(
        `SELECT extract(epoch FROM now() - min("created_at"))::float8 AS "age" FROM ${this.outbox} WHERE "published_at" IS NULL`,
      );
      gauge.set(row?.age ?? 0);
    });
    scrapedGauge({ name: 'ledgerline_outbox_unsent_events', help: 'Outbox rows not yet sent to Kafka' }, async (gauge) => {
      const [row]: { unsent: number }[] = await this.dataSource.query(`SELECT count(*)::int AS "unsent" FROM ${this.outbox} WHERE "published_at" IS NULL`);
      gauge.set(row?.unsent ?? 0);
    });
    if (this.options.consumes.length === 0) return;
    scrapedGauge(
      { name: 'ledgerline_consumer_lag_messages', help: "Messages on a topic the service's consumer group has not committed yet", labelNames: ['topic'] },
      async (gauge) => {
        for (const [topic, lag] of await this.consumerLag()) gauge.set({ topic }, lag);
      },
    );
  }

  private async consumerLag(): Promise<Map<string, number>> {
    if (this.lag && Date.now() - this.lag.at < CONSUMER_LAG_CACHE_MS) return this.lag.byTopic;
    const groupId = consumerGroupId({ brokers: this.options.brokers, service: this.options.service, groupSuffix: this.options.groupSuffix });
    const byKafkaTopic = await this.kafka.consumerLag(
      groupId,
      this.options.consumes.map((topic) => kafkaTopic(topic)),
    );
    const byTopic = new Map([...byKafkaTopic].map(([topic, lag]) => [contractTopic(topic), lag]));
    this.lag = { at: Date.now(), byTopic };
    return byTopic;
  }
}
