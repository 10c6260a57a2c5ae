import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ContactSyncService } from './contact-sync.service';

/** Kafka handlers only: validation, once-only processing, retries and dead letters are the messaging layer's. */
@Controller()
export class ContactSyncConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly contactSync: ContactSyncService,
  ) {}

  @EventPattern(kafkaTopic(Topics.ClientUpserted))
  clientUpserted(@Ctx() context: KafkaContext) {
    return this.events.consume(Topics.ClientUpserted, context, (event, tx) => this.contactSync.onClientUpserted(event, tx));
  }

  @EventPattern(kafkaTopic(Topics.ContactSyncRequested))
  syncRequested(@Ctx() context: KafkaContext) {
    return this.events.consume(Topics.ContactSyncRequested, context, (event, tx) => this.contactSync.onSyncRequested(event, tx));
  }
}
