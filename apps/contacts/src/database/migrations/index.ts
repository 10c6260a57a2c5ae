import { XeroBudgetSchema1767225600000 } from '@ledgerline/xero-client';
import { InitialContacts1763700000002 } from './1763700000002-initial';
import { ClientsAndContactMappings1767300000000 } from './1767300000000-clients-and-contact-mappings';
import { PendingSyncRequests1767400000000 } from './1767400000000-pending-sync-requests';
import { OperationsEngine1767500000000 } from './1767500000000-operations-engine';
import { ContactPull1767600000000 } from './1767600000000-contact-pull';
import { OperationsTraceContext1768000000001, OutboxTraceContext1768000000000 } from './1768000000000-trace-context';
import { OperationsBacklogIndexes1768100000000 } from './1768100000000-operations-backlog-indexes';

/** Every migration of this service, oldest first (the Xero budget tables are shared and created idempotently). */
export const migrations = [
  InitialContacts1763700000002,
  XeroBudgetSchema1767225600000,
  ClientsAndContactMappings1767300000000,
  PendingSyncRequests1767400000000,
  OperationsEngine1767500000000,
  ContactPull1767600000000,
  OutboxTraceContext1768000000000,
  OperationsTraceContext1768000000001,
  OperationsBacklogIndexes1768100000000,
];
