/** This service's tables, schema-qualified for raw SQL. */
export const Tables = {
  webhookDeliveries: '"payments"."webhook_deliveries"',
  webhookEvents: '"payments"."webhook_events"',
  webhookResources: '"payments"."webhook_resources"',
  tenantLinks: '"payments"."xero_tenant_links"',
} as const;
