import { refreshTokenAge } from '../tokens/refresh-policy';
import { ConnectionStatus, XeroConnection } from './entities/xero-connection.entity';

export interface TokenHealth {
  accessTokenExpiresAt: string | null;
  accessTokenExpired: boolean;
  lastRefreshedAt: string | null;
  refreshCount: number;
  refreshTokenIssuedAt: string | null;
  refreshTokenAgeDays: number | null;
  refreshTokenDaysLeft: number | null;
}

/** What API consumers see of a connection: never a token. */
export interface ConnectionView {
  companyId: string;
  connected: boolean;
  status: ConnectionStatus | 'not_connected';
  connectionId?: string;
  tenantId?: string | null;
  organisationName?: string | null;
  connectedBy?: string;
  connectedAt?: string | null;
  statusReason?: string | null;
  statusChangedAt?: string;
  disconnectedBy?: string | null;
  /** While the admin still has to choose among several granted organisations. */
  tenantsToChooseFrom?: { tenantId: string; organisationName: string }[];
  tokenHealth?: TokenHealth;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function connectionView(companyId: string, connection: XeroConnection | null, now: Date, refreshTokenLifetimeDays: number): ConnectionView {
  if (!connection) return { companyId, connected: false, status: 'not_connected' };
  const view: ConnectionView = {
    companyId,
    connected: connection.status === 'connected',
    status: connection.status,
    connectionId: connection.id,
    tenantId: connection.tenantId,
    organisationName: connection.tenantName,
    connectedBy: connection.connectedBy,
    connectedAt: iso(connection.connectedAt),
    statusReason: connection.statusReason,
    statusChangedAt: connection.statusChangedAt.toISOString(),
  };
  if (connection.status === 'disconnected') return { ...view, disconnectedBy: connection.disconnectedBy };
  if (connection.status === 'pending_tenant') {
    view.tenantsToChooseFrom = connection.grantedTenants.map((t) => ({ tenantId: t.tenantId, organisationName: t.tenantName }));
  }
  const age = refreshTokenAge(connection.refreshTokenIssuedAt, now, refreshTokenLifetimeDays);
  view.tokenHealth = {
    accessTokenExpiresAt: iso(connection.accessTokenExpiresAt),
    accessTokenExpired: connection.accessTokenExpiresAt === null || connection.accessTokenExpiresAt.getTime() <= now.getTime(),
    lastRefreshedAt: iso(connection.lastRefreshedAt),
    refreshCount: connection.refreshCount,
    refreshTokenIssuedAt: iso(connection.refreshTokenIssuedAt),
    refreshTokenAgeDays: age?.ageDays ?? null,
    refreshTokenDaysLeft: connection.status === 'connected' ? (age?.daysLeft ?? null) : 0,
  };
  return view;
}
