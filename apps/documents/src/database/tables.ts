/** This service's tables, schema-qualified for raw SQL (TypeORM entities name them too). */
export const Tables = {
  documents: '"documents"."documents"',
  contactMappings: '"documents"."contact_mappings"',
  quoteWatch: '"documents"."quote_watch"',
  purchaseOrderWatch: '"documents"."purchase_order_watch"',
  jobs: '"documents"."jobs"',
  serviceTaskTemplates: '"documents"."service_task_templates"',
  staffMappings: '"documents"."staff_mappings"',
} as const;
