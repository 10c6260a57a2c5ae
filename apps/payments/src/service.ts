import { Topics } from '@ledgerline/contracts';
import { ServiceDefinition } from '@ledgerline/platform';
import { PaymentsConfig } from './config/payments.config';
import { migrations } from './database/migrations';

export const paymentsService: ServiceDefinition<PaymentsConfig> = {
  name: 'payments',
  config: PaymentsConfig,
  database: { schema: 'payments', entities: [], migrations },
  consumes: [Topics.InvoiceCreated, Topics.XeroWebhookReceived],
  produces: [Topics.PaymentRecorded, Topics.InvoicePaid, Topics.InvoicePartiallyPaid, Topics.PaymentReversed, Topics.XeroWebhookReceived],
  modules: [],
};
