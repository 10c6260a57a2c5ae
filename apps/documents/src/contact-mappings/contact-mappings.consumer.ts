import { causedBy, Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { OperationWorker } from '@ledgerline/xero-operations';
import { OperationStore } from '@ledgerline/xero-operations';
import { ContactMappings } from './contact-mappings.service';

@Controller()
export class ContactMappingsConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly mappings: ContactMappings,
    private readonly worker: OperationWorker,
    private readonly operations: OperationStore,
  ) {}

  @EventPattern(kafkaTopic(Topics.ContactSynced))
  async contactSynced(@Ctx() context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(Topics.ContactSynced, context, async (event, tx) => {
      await this.mappings.recordSynced(event, tx);
    });
    if (outcome === 'processed') this.worker.nudge();
  }

  @EventPattern(kafkaTopic(Topics.ContactSyncFailed))
  async contactSyncFailed(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.ContactSyncFailed, context, async (event, tx) => {
      await this.mappings.recordSyncFailed(event, tx);
    });
  }

  /** A company connected (again): what waited for a connection goes on. */
  @EventPattern(kafkaTopic(Topics.XeroConnectionConnected))
  async connected(@Ctx() context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(Topics.XeroConnectionConnected, context, async (event, tx) => {
      await this.mappings.resumeConnected(tx, event.companyId, causedBy(event));
      await this.operations.resumeWaiting(tx, event.companyId);
    });
    if (outcome === 'processed') this.worker.nudge();
  }
}
