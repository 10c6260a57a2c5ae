import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { OverviewRepository } from './overview.repository';

/** The topics the overview folds (the failed outcomes reach it through the error list's consumer). */
export const OVERVIEW_TOPICS = [Topics.InvoiceRequested, Topics.InvoiceCreated, Topics.InvoicePaid, Topics.InvoicePartiallyPaid, Topics.InvoiceUnpaid, Topics.InvoiceVoided, Topics.InvoiceDeleted, Topics.QuoteRequested, Topics.QuoteCreated, Topics.QuoteAccepted, Topics.QuoteDeclined, Topics.DocumentCancelled, Topics.JobAssigned, Topics.JobStatusChanged, Topics.JobSynced, Topics.XeroConnectionConnected, Topics.XeroConnectionDisconnected, Topics.XeroConnectionExpired] as const;

/** Requests, outcomes, balances and connection changes into the overview, once each. */
@Controller()
export class OverviewConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly overview: OverviewRepository,
  ) {}

  @EventPattern(kafkaTopic(Topics.InvoiceRequested))
  async invoiceRequested(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.InvoiceRequested, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.InvoiceCreated))
  async invoiceCreated(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.InvoiceCreated, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.InvoicePaid))
  async invoicePaid(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.InvoicePaid, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.InvoicePartiallyPaid))
  async invoicePartiallyPaid(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.InvoicePartiallyPaid, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.InvoiceUnpaid))
  async invoiceUnpaid(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.InvoiceUnpaid, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.InvoiceVoided))
  async invoiceVoided(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.InvoiceVoided, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.InvoiceDeleted))
  async invoiceDeleted(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.InvoiceDeleted, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.QuoteRequested))
  async quoteRequested(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.QuoteRequested, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.QuoteCreated))
  async quoteCreated(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.QuoteCreated, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.QuoteAccepted))
  async quoteAccepted(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.QuoteAccepted, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.QuoteDeclined))
  async quoteDeclined(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.QuoteDeclined, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.DocumentCancelled))
  async documentCancelled(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.DocumentCancelled, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.JobAssigned))
  async jobAssigned(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.JobAssigned, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.JobStatusChanged))
  async jobStatusChanged(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.JobStatusChanged, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.JobSynced))
  async jobSynced(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.JobSynced, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.XeroConnectionConnected))
  async xeroConnectionConnected(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.XeroConnectionConnected, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.XeroConnectionDisconnected))
  async xeroConnectionDisconnected(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.XeroConnectionDisconnected, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }

  @EventPattern(kafkaTopic(Topics.XeroConnectionExpired))
  async xeroConnectionExpired(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.XeroConnectionExpired, context, (event, tx) => this.overview.apply(tx, event), { consumer: 'overview' });
  }
}
