import { Topics } from '@ledgerline/contracts';
import { ServiceDefinition } from '@ledgerline/platform';
import { PaymentsConfig } from './config/payments.config';
import { migrations } from './database/migrations';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { rawWebhookBody, XERO_WEBHOOK_PATH } from './webhooks/webhook-body.middleware';
import { WebhooksModule } from './webhooks/webhooks.module';

export const paymentsService: ServiceDefinition<PaymentsConfig> = {
  name: 'payments',
  config: PaymentsConfig,
  database: { schema: 'payments', entities: [], migrations },
  consumes: [
    Topics.InvoiceCreated,
    Topics.XeroWebhookReceived,
    Topics.XeroConnectionConnected,
    Topics.XeroConnectionDisconnected,
    Topics.XeroConnectionExpired,
    Topics.SyncRequested,
  ],
  produces: [
    Topics.PaymentRecorded,
    Topics.InvoicePaid,
    Topics.InvoicePartiallyPaid,
    Topics.InvoiceUnpaid,
    Topics.PaymentReversed,
    Topics.CreditAllocated,
    Topics.CreditUnallocated,
    Topics.InvoiceVoided,
    Topics.InvoiceDeleted,
    Topics.XeroWebhookReceived,
    Topics.SyncActivity,
    Topics.SyncProgress,
  ],
  modules: [WebhooksModule, ReconciliationModule],
  // The webhook's signature covers its raw bytes: read them before the JSON parser would.
  configureHttp: (app, config) => app.use(XERO_WEBHOOK_PATH, rawWebhookBody(config.WEBHOOK_MAX_BODY_BYTES)),
};
