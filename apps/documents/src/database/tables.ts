/** This service's tables, schema-qualified for raw SQL (TypeORM entities name them too). */
export const Tables = {
  documents: '"documents"."documents"',
  contactMappings: '"documents"."contact_mappings"',
  quoteWatch: '"documents"."quote_watch"',
} as const;
