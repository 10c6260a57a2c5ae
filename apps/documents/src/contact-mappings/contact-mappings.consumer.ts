import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Dispatcher } from '../dispatch/dispatcher.service';
import { ContactMappings } from './contact-mappings.service';

@Controller()
export class ContactMappingsConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly mappings: ContactMappings,
    private readonly dispatcher: Dispatcher,
  ) {}

  @EventPattern(kafkaTopic(Topics.ContactSynced))
  async contactSynced(@Ctx() context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(Topics.ContactSynced, context, async (event, tx) => {
      await this.mappings.recordSynced(event, tx);
    });
    if (outcome === 'processed') this.dispatcher.nudge();
  }

  @EventPattern(kafkaTopic(Topics.ContactSyncFailed))
  async contactSyncFailed(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.ContactSyncFailed, context, async (event, tx) => {
      await this.mappings.recordSyncFailed(event, tx);
    });
  }
}
