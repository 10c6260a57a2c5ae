/** This service's tables, schema-qualified for raw SQL. */
export const Tables = {
  webhookDeliveries: '"payments"."webhook_deliveries"',
  webhookEvents: '"payments"."webhook_events"',
  webhookResources: '"payments"."webhook_resources"',
  tenantLinks: '"payments"."xero_tenant_links"',
  reconciledInvoices: '"payments"."reconciled_invoices"',
  reconciliationHistory: '"payments"."reconciliation_history"',
  invoicePayments: '"payments"."invoice_payments"',
  pollCheckpoints: '"payments"."poll_checkpoints"',
} as const;
