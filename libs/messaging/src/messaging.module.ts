import { BeforeApplicationShutdown, DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DeadLetterPublisher } from './consumer/dead-letter.service';
import { EventConsumer } from './consumer/event-consumer.service';
import { DatabaseWakeups } from './database/database-wakeups';
import { KafkaConnection } from './kafka/kafka-connection.service';
import { KafkaHealthIndicator } from './kafka/kafka.health';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { MessagingMetrics } from './metrics/messaging-metrics';
import { EventPublisher } from './outbox/event-publisher.service';
import { OutboxRelay } from './outbox/outbox-relay.service';

/** Kafka publishing (outbox + relay) and consuming (validation, once-only, retries, dead letters) for one service. */
@Module({})
export class MessagingModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly kafka: KafkaConnection,
  ) {}

  /**
   * The relay stops, sending what is still unsent, while the database is open: Nest runs this hook for
   * global modules such as this one after the services' own modules, so their loops have stopped and
   * written their last rows, and TypeORM closes the database only in the next phase, onApplicationShutdown.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  /** Nest runs a module's provider hooks all at once; the producer closes here, after the relay's last send. */
  async onApplicationShutdown(): Promise<void> {
    await this.kafka.close();
  }

  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [TerminusModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        KafkaConnection,
        DatabaseWakeups,
        OutboxRelay,
        EventPublisher,
        DeadLetterPublisher,
        EventConsumer,
        KafkaHealthIndicator,
        MessagingMetrics,
      ],
      exports: [MESSAGING_OPTIONS, KafkaConnection, DatabaseWakeups, OutboxRelay, EventPublisher, EventConsumer, KafkaHealthIndicator],
    };
  }
}
