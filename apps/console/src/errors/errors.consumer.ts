import { LedgerlineEvent, Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import { describeFailedOutcome, FailedOutcomeTopic } from './domain/failed-outcome';
import { OverviewRepository } from '../overview/overview.repository';
import { ErrorsRepository } from './errors.repository';

/** Failed outcomes of every service into the company's error list (with Xero's messages and the event itself) and the overview. */
@Controller()
export class ErrorsConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly errors: ErrorsRepository,
    private readonly overview: OverviewRepository,
  ) {}

  private record(topic: FailedOutcomeTopic) {
    return async (event: LedgerlineEvent, tx: EntityManager) => {
      const entry = describeFailedOutcome(topic, event.payload as unknown as Record<string, unknown>);
      await this.errors.failedOutcome(tx, event.companyId, topic, event.id, event.occurredAt, entry, JSON.stringify(event));
      // A failed invoice, quote or job also counts in the overview.
      await this.overview.apply(tx, event);
    };
  }

  @EventPattern(kafkaTopic(Topics.InvoiceFailed))
  async invoiceFailed(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.InvoiceFailed, context, this.record(Topics.InvoiceFailed), { consumer: 'errors' });
  }

  @EventPattern(kafkaTopic(Topics.QuoteFailed))
  async quoteFailed(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.QuoteFailed, context, this.record(Topics.QuoteFailed), { consumer: 'errors' });
  }

  @EventPattern(kafkaTopic(Topics.PurchaseOrderFailed))
  async purchaseOrderFailed(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.PurchaseOrderFailed, context, this.record(Topics.PurchaseOrderFailed), { consumer: 'errors' });
  }

  @EventPattern(kafkaTopic(Topics.DocumentCancelFailed))
  async cancelFailed(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.DocumentCancelFailed, context, this.record(Topics.DocumentCancelFailed), { consumer: 'errors' });
  }

  @EventPattern(kafkaTopic(Topics.ContactSyncFailed))
  async contactSyncFailed(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.ContactSyncFailed, context, this.record(Topics.ContactSyncFailed), { consumer: 'errors' });
  }

  @EventPattern(kafkaTopic(Topics.JobSyncFailed))
  async jobSyncFailed(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.JobSyncFailed, context, this.record(Topics.JobSyncFailed), { consumer: 'errors' });
  }
}
