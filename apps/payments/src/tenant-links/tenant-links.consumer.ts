import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ReconciliationLooks } from '../reconciliation/reconciliation-looks.service';
import { TenantLinks } from './tenant-links.repository';

/**
 * Learns which company is connected to which Xero organisation, so webhooks reach the right companies; a company
 * that connects is then reconciled from its earliest invoice.
 */
@Controller()
export class TenantLinksConsumer {
  private readonly logger = new Logger(TenantLinksConsumer.name);

  constructor(
    private readonly events: EventConsumer,
    private readonly links: TenantLinks,
    private readonly looks: ReconciliationLooks,
  ) {}

  @EventPattern(kafkaTopic(Topics.XeroConnectionConnected))
  async connected(@Ctx() context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(Topics.XeroConnectionConnected, context, async (event, tx) => {
      await this.links.connected(tx, event.companyId, event.payload.connectionId, event.payload.tenantId);
      await this.looks.connected(tx, event.companyId, { correlationId: event.correlationId, causationId: event.id });
      this.logger.log(`company ${event.companyId} receives webhooks of Xero organisation ${event.payload.tenantId}`);
    });
    if (outcome === 'processed') this.looks.nudge();
  }

  @EventPattern(kafkaTopic(Topics.XeroConnectionDisconnected))
  async disconnected(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.XeroConnectionDisconnected, context, async (event, tx) => {
      const ended = await this.links.ended(tx, event.companyId, event.payload.connectionId, 'disconnected');
      if (ended) this.logger.log(`company ${event.companyId} no longer receives webhooks of Xero organisation ${event.payload.tenantId} (disconnected)`);
    });
  }

  @EventPattern(kafkaTopic(Topics.XeroConnectionExpired))
  async expired(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.XeroConnectionExpired, context, async (event, tx) => {
      const ended = await this.links.ended(tx, event.companyId, event.payload.connectionId, 'expired');
      if (ended) this.logger.log(`company ${event.companyId} no longer receives webhooks of Xero organisation ${event.payload.tenantId} (connection expired)`);
    });
  }
}
