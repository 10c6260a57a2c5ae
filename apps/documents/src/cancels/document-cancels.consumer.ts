import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { OperationWorker } from '@ledgerline/xero-operations';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { DocumentCancels } from './document-cancels.service';

@Controller()
export class DocumentCancelsConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly cancels: DocumentCancels,
    private readonly worker: OperationWorker,
  ) {}

  @EventPattern(kafkaTopic(Topics.DocumentCancelRequested))
  async cancelRequested(@Ctx() context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(Topics.DocumentCancelRequested, context, async (event, tx) => {
      await this.cancels.request(event, tx);
    });
    if (outcome === 'processed') this.worker.nudge();
  }
}
