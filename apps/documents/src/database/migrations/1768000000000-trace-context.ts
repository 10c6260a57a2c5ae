import { outboxTraceContextMigration } from '@ledgerline/messaging';
import { operationsTraceContextMigration } from '@ledgerline/xero-operations';

/** Outbox rows and Xero operations keep the trace they were written in. */
export const OutboxTraceContext1768000000000 = outboxTraceContextMigration('documents');
export const OperationsTraceContext1768000000001 = operationsTraceContextMigration('documents');
