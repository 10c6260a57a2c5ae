import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { OperationWorker } from '@ledgerline/xero-operations';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { ContactSyncService } from './contact-sync.service';
import { ContactPulls } from '../contact-pull/contact-pulls.service';

/** Kafka handlers only: validation, once-only processing, retries and dead letters are the messaging layer's. */
/** Kafka handlers are no part of the HTTP API description. */
@ApiExcludeController()
@Controller()
export class ContactSyncConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly contactSync: ContactSyncService,
    private readonly worker: OperationWorker,
    private readonly pulls: ContactPulls,
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

  /** A company connected (again): the syncs that waited for a connection go on, and its contacts are read. */
  @EventPattern(kafkaTopic(Topics.XeroConnectionConnected))
  async connected(@Ctx() context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(Topics.XeroConnectionConnected, context, (event, tx) => this.pulls.connected(tx, event));
    if (outcome === 'processed') this.worker.nudge();
  }

  @EventPattern(kafkaTopic(Topics.XeroConnectionDisconnected))
  async disconnected(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.XeroConnectionDisconnected, context, (event, tx) => this.pulls.disconnected(tx, event.companyId));
  }

  @EventPattern(kafkaTopic(Topics.XeroWebhookReceived))
  async webhookReceived(@Ctx() context: KafkaContext): Promise<void> {
    let looking = false;
    const outcome = await this.events.consume(Topics.XeroWebhookReceived, context, async (event, tx) => {
      looking = await this.pulls.webhookReceived(tx, event);
    });
    if (outcome === 'processed' && looking) this.worker.nudge();
  }

  @EventPattern(kafkaTopic(Topics.SyncRequested))
  async manualSyncRequested(@Ctx() context: KafkaContext): Promise<void> {
    let pulling = false;
    const outcome = await this.events.consume(Topics.SyncRequested, context, async (event, tx) => {
      pulling = await this.pulls.syncRequested(tx, event);
    });
    if (outcome === 'processed' && pulling) this.worker.nudge();
  }
}
