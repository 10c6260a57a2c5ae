import { Module } from '@nestjs/common';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { TenantLinksConsumer } from '../tenant-links/tenant-links.consumer';
import { TenantLinks } from '../tenant-links/tenant-links.repository';
import { WebhookDeliveries } from './webhook-deliveries.store';
import { WebhookProcessor } from './webhook-processor.service';
import { XeroWebhookController } from './xero-webhook.controller';

/** The Xero webhook receiver: verify, store, answer; then decide, route to companies and publish. */
@Module({
  imports: [ReconciliationModule],
  controllers: [XeroWebhookController, TenantLinksConsumer],
  providers: [WebhookDeliveries, WebhookProcessor, TenantLinks],
})
export class WebhooksModule {}
