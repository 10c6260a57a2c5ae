import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ReconciliationLooks } from './reconciliation-looks.service';

/** Kafka handlers only: validation, once-only processing, retries and dead letters are the messaging layer's. */
@Controller()
export class ReconciliationConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly looks: ReconciliationLooks,
  ) {}

  @EventPattern(kafkaTopic(Topics.InvoiceCreated))
  async invoiceCreated(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.InvoiceCreated, context, (event, tx) => this.looks.invoiceRaised(tx, event));
  }

  @EventPattern(kafkaTopic(Topics.XeroWebhookReceived))
  async webhookReceived(@Ctx() context: KafkaContext): Promise<void> {
    let looking = false;
    const outcome = await this.events.consume(Topics.XeroWebhookReceived, context, async (event, tx) => {
      looking = await this.looks.webhookReceived(tx, event);
    });
    if (outcome === 'processed' && looking) this.looks.nudge();
  }
}
