import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Dispatcher } from '../dispatch/dispatcher.service';
import { InvoiceRequests } from './invoice-requests.service';

@Controller()
export class InvoiceRequestsConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly requests: InvoiceRequests,
    private readonly dispatcher: Dispatcher,
  ) {}

  @EventPattern(kafkaTopic(Topics.InvoiceRequested))
  async invoiceRequested(@Ctx() context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(Topics.InvoiceRequested, context, async (event, tx) => {
      await this.requests.accept(event, tx);
    });
    if (outcome === 'processed') this.dispatcher.nudge();
  }
}
