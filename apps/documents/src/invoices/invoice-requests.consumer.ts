import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { OperationWorker } from '@ledgerline/xero-operations';
import { InvoiceRequests } from './invoice-requests.service';

@Controller()
export class InvoiceRequestsConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly requests: InvoiceRequests,
    private readonly worker: OperationWorker,
  ) {}

  @EventPattern(kafkaTopic(Topics.InvoiceRequested))
  async invoiceRequested(@Ctx() context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(Topics.InvoiceRequested, context, async (event, tx) => {
      await this.requests.accept(event, tx);
    });
    if (outcome === 'processed') this.worker.nudge();
  }
}
