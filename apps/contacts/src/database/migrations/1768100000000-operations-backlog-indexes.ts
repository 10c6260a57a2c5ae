import { operationsBacklogIndexesMigration } from '@ledgerline/xero-operations';

/** Forming a batch stays cheap however long a company's backlog of operations is. */
export const OperationsBacklogIndexes1768100000000 = operationsBacklogIndexesMigration('contacts');
