import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const CONNECTION_STATUSES = ['pending_tenant', 'connected', 'expired', 'revoked', 'disconnected'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** A Xero organisation the user granted, as listed by Xero's GET /connections. */
export interface GrantedTenant {
  xeroConnectionId: string;
  tenantId: string;
  tenantName: string;
}

/**
 * A company's link to one Xero organisation, with its tokens sealed by the vault (AAD: id + company id).
 * A company has at most one current connection (any status but `disconnected`); disconnected rows stay as history.
 */
@Entity('xero_connections')
export class XeroConnection {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'company_id', type: 'text' })
  companyId: string;

  @Column({ type: 'text' })
  status: ConnectionStatus;

  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId: string | null;

  @Column({ name: 'tenant_name', type: 'text', nullable: true })
  tenantName: string | null;

  /** Xero's id for the app-to-organisation connection (DELETE /connections/{id}). */
  @Column({ name: 'xero_connection_id', type: 'uuid', nullable: true })
  xeroConnectionId: string | null;

  /** Xero's authentication event: one grant, one refresh-token chain. */
  @Column({ name: 'auth_event_id', type: 'uuid', nullable: true })
  authEventId: string | null;

  /**
   * The Xero user who consented (the token's `xero_userid`). Revoking a refresh token removes every
   * connection of that user to the app, so a disconnect never revokes while another company's connection
   * has the same user. Null on rows from before it was recorded: treated as possibly anyone.
   */
  @Column({ name: 'xero_user_id', type: 'uuid', nullable: true })
  xeroUserId: string | null;

  /** When Xero's connections list last confirmed (or denied) the organisation after Xero refused a call. */
  @Column({ name: 'tenant_checked_at', type: 'timestamptz', nullable: true })
  tenantCheckedAt: Date | null;

  /** While `pending_tenant`: the organisations to choose from. */
  @Column({ name: 'granted_tenants', type: 'jsonb', default: () => "'[]'" })
  grantedTenants: GrantedTenant[];

  @Column({ type: 'text' })
  scopes: string;

  /** Sealed by the vault; never plain text. */
  @Column({ name: 'access_token', type: 'text', nullable: true })
  accessToken: string | null;

  /** Sealed by the vault; never leaves this service. */
  @Column({ name: 'refresh_token', type: 'text', nullable: true })
  refreshToken: string | null;

  @Column({ name: 'access_token_expires_at', type: 'timestamptz', nullable: true })
  accessTokenExpiresAt: Date | null;

  /** When the current refresh token was issued: Xero drops it after 60 days unused. */
  @Column({ name: 'refresh_token_issued_at', type: 'timestamptz', nullable: true })
  refreshTokenIssuedAt: Date | null;

  @Column({ name: 'last_refreshed_at', type: 'timestamptz', nullable: true })
  lastRefreshedAt: Date | null;

  @Column({ name: 'refresh_count', type: 'int', default: 0 })
  refreshCount: number;

  /** The user who connected it (the JWT's sub). */
  @Column({ name: 'connected_by', type: 'text' })
  connectedBy: string;

  @Column({ name: 'connected_at', type: 'timestamptz', nullable: true })
  connectedAt: Date | null;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz' })
  statusChangedAt: Date;

  /** Who disconnected it, when a user did. */
  @Column({ name: 'disconnected_by', type: 'text', nullable: true })
  disconnectedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The vault's AAD for a connection's tokens: a ciphertext moved to another row or company no longer opens. */
export const connectionAad = (connection: Pick<XeroConnection, 'id' | 'companyId'>, field: 'access_token' | 'refresh_token'): string =>
  `xero_connections:${connection.id}:${field}|company:${connection.companyId}`;
