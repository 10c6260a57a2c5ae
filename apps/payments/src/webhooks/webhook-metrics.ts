import { Counter, register } from 'prom-client';

/** Deliveries by what the receiver answered: accepted, intent (empty, verified), bad_signature, too_large, malformed. */
export const webhookRequests =
  (register.getSingleMetric('ledgerline_payments_webhook_requests_total') as Counter<'result'> | undefined) ??
  new Counter({ name: 'ledgerline_payments_webhook_requests_total', help: 'Xero webhook deliveries by the answer given', labelNames: ['result'] });

/** Events by what became of them: forwarded, duplicate, stale, unrouted (no company connected), unknown_category. */
export const webhookEvents =
  (register.getSingleMetric('ledgerline_payments_webhook_events_total') as Counter<'outcome' | 'category'> | undefined) ??
  new Counter({ name: 'ledgerline_payments_webhook_events_total', help: 'Xero webhook events by outcome and category', labelNames: ['outcome', 'category'] });
