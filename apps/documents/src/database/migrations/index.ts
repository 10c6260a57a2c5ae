import { XeroBudgetSchema1767225600000 } from '@ledgerline/xero-client';
import { InitialDocuments1763700000003 } from './1763700000003-initial';
import { DocumentsTables1767400000000 } from './1767400000000-documents-tables';
import { OperationsEngine1767500000000 } from './1767500000000-operations-engine';
import { CancelledDocuments1767600000000 } from './1767600000000-cancelled-documents';
import { QuoteWatch1767700000000 } from './1767700000000-quote-watch';
import { PurchaseOrderWatch1767800000000 } from './1767800000000-purchase-order-watch';
import { Jobs1767900000000 } from './1767900000000-jobs';
import { OperationsTraceContext1768000000001, OutboxTraceContext1768000000000 } from './1768000000000-trace-context';
import { OperationsBacklogIndexes1768100000000 } from './1768100000000-operations-backlog-indexes';

/** Every migration of this service, oldest first (the shared Xero budget schema is idempotent). */
export const migrations = [
  InitialDocuments1763700000003,
  XeroBudgetSchema1767225600000,
  DocumentsTables1767400000000,
  OperationsEngine1767500000000,
  CancelledDocuments1767600000000,
  QuoteWatch1767700000000,
  PurchaseOrderWatch1767800000000,
  Jobs1767900000000,
  OutboxTraceContext1768000000000,
  OperationsTraceContext1768000000001,
  OperationsBacklogIndexes1768100000000,
];
