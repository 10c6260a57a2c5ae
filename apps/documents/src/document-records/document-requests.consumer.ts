import { DocumentType, Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { OperationWorker } from '@ledgerline/xero-operations';
import { DocumentRequests } from './document-requests.service';
import { DOCUMENT_TYPE_DEFINITIONS } from './document-types';

/** Every document request topic; each handler records the request and wakes the operations worker. */
@Controller()
export class DocumentRequestsConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly requests: DocumentRequests,
    private readonly worker: OperationWorker,
  ) {}

  @EventPattern(kafkaTopic(Topics.InvoiceRequested))
  invoiceRequested(@Ctx() context: KafkaContext): Promise<void> {
    return this.consume('invoice', context);
  }

  @EventPattern(kafkaTopic(Topics.QuoteRequested))
  quoteRequested(@Ctx() context: KafkaContext): Promise<void> {
    return this.consume('quote', context);
  }

  @EventPattern(kafkaTopic(Topics.PurchaseOrderRequested))
  purchaseOrderRequested(@Ctx() context: KafkaContext): Promise<void> {
    return this.consume('purchase_order', context);
  }

  private async consume(type: DocumentType, context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(DOCUMENT_TYPE_DEFINITIONS[type].requested, context, async (event, tx) => {
      await this.requests.accept(type, event, tx);
    });
    if (outcome === 'processed') this.worker.nudge();
  }
}
