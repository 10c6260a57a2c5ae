import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DeadLetterPublisher } from './consumer/dead-letter.service';
import { EventConsumer } from './consumer/event-consumer.service';
import { KafkaConnection } from './kafka/kafka-connection.service';
import { KafkaHealthIndicator } from './kafka/kafka.health';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { EventPublisher } from './outbox/event-publisher.service';
import { OutboxRelay } from './outbox/outbox-relay.service';

/** Kafka publishing (outbox + relay) and consuming (validation, once-only, retries, dead letters) for one service. */
@Module({})
export class MessagingModule implements OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly kafka: KafkaConnection,
  ) {}

  /**
   * Nest runs a module's provider hooks all at once and the module's own hook after them, so the order
   * lives here: the relay sends its last rows before the producer it sends them with disconnects. It runs
   * in the shutdown phase, after the services' own work stopped in theirs (beforeApplicationShutdown), and
   * the platform imports this module before TypeORM's, so the database is still open for it.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
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
        OutboxRelay,
        EventPublisher,
        DeadLetterPublisher,
        EventConsumer,
        KafkaHealthIndicator,
      ],
      exports: [MESSAGING_OPTIONS, KafkaConnection, OutboxRelay, EventPublisher, EventConsumer, KafkaHealthIndicator],
    };
  }
}
