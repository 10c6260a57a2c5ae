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
  /** The reason in words, for an admin: why the connection is in this state (since `statusChangedAt`). */
  statusDetail?: string | null;
  statusChangedAt?: string;
  disconnectedBy?: string | null;
  /** While the admin still has to choose among several granted organisations. */
  tenantsToChooseFrom?: { tenantId: string; organisationName: string }[];
  tokenHealth?: TokenHealth;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

const STATUS_DETAILS: Record<string, string> = {
  revoked:
    "The organisation disconnected Ledgerline in Xero: Xero no longer lists it among the app's connections (disconnected in Xero's settings, or the Xero user's access revoked). Connect again to resume.",
  invalid_grant: 'Xero no longer accepts the connection\'s refresh token (the app was disconnected or the grant revoked). Connect again to resume.',
  refresh_token_expired: 'The refresh token went unused for longer than Xero keeps it. Connect again to resume.',
  disconnected_by_user: 'An admin disconnected Xero.',
  replaced: 'Replaced by a newer connection.',
};

/** Why a connection is where it is, in words (null for a connection that needs no explanation). */
export const statusDetailOf = (reason: string | null): string | null => (reason ? (STATUS_DETAILS[reason] ?? null) : null);

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
    statusDetail: statusDetailOf(connection.statusReason),
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
