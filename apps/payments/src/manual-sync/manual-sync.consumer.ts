import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { OperationWorker } from '@ledgerline/xero-operations';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ManualSyncs } from './manual-sync.service';

/** Kafka handlers only: validation, once-only processing, retries and dead letters are the messaging layer's. */
@Controller()
export class ManualSyncConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly syncs: ManualSyncs,
    private readonly worker: OperationWorker,
  ) {}

  @EventPattern(kafkaTopic(Topics.SyncRequested))
  async syncRequested(@Ctx() context: KafkaContext): Promise<void> {
    let recorded = false;
    const outcome = await this.events.consume(Topics.SyncRequested, context, async (event, tx) => {
      recorded = await this.syncs.requested(tx, event);
    });
    if (outcome === 'processed' && recorded) this.worker.nudge();
  }
}
