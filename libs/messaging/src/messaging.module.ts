import { DynamicModule, Module } from '@nestjs/common';
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
export class MessagingModule {
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
