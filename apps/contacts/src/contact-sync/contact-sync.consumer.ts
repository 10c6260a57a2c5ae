import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { OperationStore, OperationWorker } from '@ledgerline/xero-operations';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ContactSyncService } from './contact-sync.service';

/** Kafka handlers only: validation, once-only processing, retries and dead letters are the messaging layer's. */
@Controller()
export class ContactSyncConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly contactSync: ContactSyncService,
    private readonly operations: OperationStore,
    private readonly worker: OperationWorker,
  ) {}

  @EventPattern(kafkaTopic(Topics.ClientUpserted))
  async clientUpserted(@Ctx() context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(Topics.ClientUpserted, context, (event, tx) => this.contactSync.onClientUpserted(event, tx));
    if (outcome === 'processed') this.worker.nudge();
  }

  @EventPattern(kafkaTopic(Topics.ContactSyncRequested))
  async syncRequested(@Ctx() context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(Topics.ContactSyncRequested, context, (event, tx) => this.contactSync.onSyncRequested(event, tx));
    if (outcome === 'processed') this.worker.nudge();
  }

  /** A company connected (again): the syncs that waited for a connection go on. */
  @EventPattern(kafkaTopic(Topics.XeroConnectionConnected))
  async connected(@Ctx() context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(Topics.XeroConnectionConnected, context, async (event, tx) => {
      await this.operations.resumeWaiting(tx, event.companyId);
    });
    if (outcome === 'processed') this.worker.nudge();
  }
}
