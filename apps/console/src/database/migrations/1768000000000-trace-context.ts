import { outboxTraceContextMigration } from '@ledgerline/messaging';

/** Outbox rows keep the trace they were written in. */
export const OutboxTraceContext1768000000000 = outboxTraceContextMigration('console');
