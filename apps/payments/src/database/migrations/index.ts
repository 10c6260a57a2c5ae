import { XeroBudgetSchema1767225600000 } from '@ledgerline/xero-client';
import { InitialPayments1763700000004 } from './1763700000004-initial';
import { WebhookReceiver1767500000000 } from './1767500000000-webhook-receiver';
import { Reconciliation1767600000000 } from './1767600000000-reconciliation';
import { OperationsTraceContext1768000000001, OutboxTraceContext1768000000000 } from './1768000000000-trace-context';
import { OperationsBacklogIndexes1768100000000 } from './1768100000000-operations-backlog-indexes';

/** Every migration of this service, oldest first (the shared Xero budget schema is idempotent). */
export const migrations = [
  InitialPayments1763700000004,
  WebhookReceiver1767500000000,
  XeroBudgetSchema1767225600000,
  Reconciliation1767600000000,
  OutboxTraceContext1768000000000,
  OperationsTraceContext1768000000001,
  OperationsBacklogIndexes1768100000000,
];
