/** This service's tables, schema-qualified for raw SQL. */
export const Tables = {
  syncLog: '"console"."sync_log"',
  operationStates: '"console"."operation_states"',
  syncInfo: '"console"."sync_info"',
  errors: '"console"."errors"',
  invoices: '"console"."invoices"',
  quotes: '"console"."quotes"',
  jobs: '"console"."jobs"',
  connections: '"console"."connections"',
  syncs: '"console"."syncs"',
  syncLocks: '"console"."sync_locks"',
  syncEvents: '"console"."sync_events"',
} as const;
