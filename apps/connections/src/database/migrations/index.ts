import { InitialConnections1763700000001 } from './1763700000001-initial';
import { XeroConnections1763700000002 } from './1763700000002-xero-connections';
import { SharedOrganisations1763700000003 } from './1763700000003-shared-organisations';
import { OutboxTraceContext1768000000000 } from './1768000000000-trace-context';

/** Every migration of this service, oldest first. */
export const migrations = [InitialConnections1763700000001, XeroConnections1763700000002, SharedOrganisations1763700000003, OutboxTraceContext1768000000000];
