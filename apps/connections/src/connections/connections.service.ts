import { AuthUser } from '@ledgerline/auth';
import { Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectionsConfig } from '../config/connections.config';
import { authEventIdOf } from '../oauth/access-token-claims';
import { OAuthStateStore } from '../oauth/oauth-state.store';
import { OAuthErrorCode, OAuthException } from '../oauth/oauth.exception';
import { XeroIdentityClient, XeroTenantConnection, XeroTokenSet } from '../oauth/xero-identity.client';
import { XeroOAuthStrategy } from '../oauth/xero-oauth.strategy';
import { AccessTokenService } from '../tokens/access-token.service';
import { TokenVault } from '../vault/token-vault.service';
import { connectionView, ConnectionView } from './connection-view';
import { ConnectionsErrorCode, ConnectionsException } from './connections.exception';
import { connectionAad, GrantedTenant, XeroConnection } from './entities/xero-connection.entity';
import { XeroConnectionRepository } from './xero-connection.repository';

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

/** What was undone at Xero when a connection ended (best effort: local state never waits on Xero). */
export interface XeroCleanup {
  organisationsRemoved: number;
  grantRevoked: boolean;
}

/** Connect (authorize, callback, tenant choice), status and disconnect, each for one company. */
@Injectable()
export class ConnectionsService {
  private readonly logger = new Logger(ConnectionsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: XeroConnectionRepository,
    private readonly strategy: XeroOAuthStrategy,
    private readonly states: OAuthStateStore,
    private readonly identity: XeroIdentityClient,
    private readonly tokens: AccessTokenService,
    private readonly vault: TokenVault,
    private readonly publisher: EventPublisher,
    @Inject(ConnectionsConfig) private readonly config: ConnectionsConfig,
  ) {}

  /** Starts connecting: Xero's authorize URL with a fresh state and S256 PKCE challenge. */
  async startConnect(user: AuthUser, companyId: string): Promise<{ authorizeUrl: string; expiresAt: string }> {
    const current = await this.connections.findCurrent(companyId);
    if (current?.status === 'connected') throw alreadyActive();
    const authorizeUrl = await this.strategy.authorizationUrl({ companyId, userId: user.userId }, user);
    return { authorizeUrl, expiresAt: new Date(Date.now() + this.config.OAUTH_STATE_TTL_SECONDS * 1000).toISOString() };
  }

  /** Completes connecting: state check, code exchange, the granted organisations, and the stored connection. */
  async completeConnect(user: AuthUser, query: CallbackQuery): Promise<ConnectionView> {
    if (query.error !== undefined || !query.code) {
      // The attempt is over either way: use up its state (and report a bad state first).
      await this.states.consume(query.state, user);
      if (query.error === 'access_denied') throw new OAuthException(OAuthErrorCode.AuthorizationDenied, 'The user declined the connection at Xero');
      if (query.error !== undefined) throw new OAuthException(OAuthErrorCode.AuthorizationFailed, `Xero ended the authorization with "${String(query.error).slice(0, 64)}"`);
      throw new OAuthException(OAuthErrorCode.CodeMissing, 'The callback has no authorization code');
    }
    const { tokens, attempt } = await this.strategy.exchange({ code: query.code, state: query.state }, user);
    const companyId = attempt.companyId;
    const authEventId = authEventIdOf(tokens.accessToken) ?? null;
    let granted: XeroTenantConnection[];
    try {
      granted = (await this.identity.listConnections(tokens.accessToken, authEventId ?? undefined)).filter(
        (tenant) => !authEventId || !tenant.authEventId || tenant.authEventId === authEventId,
      );
    } catch (error) {
      await this.revokeQuietly(tokens.refreshToken, 'a connect attempt whose organisations could not be read');
      throw error;
    }
    if (granted.length === 0) {
      await this.revokeQuietly(tokens.refreshToken, 'a consent without organisations');
      throw new ConnectionsException(ConnectionsErrorCode.NoOrganisationGranted, 'No Xero organisation was chosen at Xero');
    }

    const stored = await this.dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`connections:company:${companyId}`]);
      const current = await this.connections.findCurrent(companyId, tx, true);
      if (current?.status === 'connected') return undefined;
      const replacedRefreshToken = current ? await this.retire(tx, current, 'replaced', user.userId) : undefined;
      const connection = await this.insert(tx, companyId, attempt.userId, tokens, authEventId, granted);
      return { connection, replaced: current, replacedRefreshToken };
    });
    if (!stored) {
      await this.revokeQuietly(tokens.refreshToken, 'a connect attempt that lost to another one');
      throw alreadyActive();
    }
    this.publisher.flush();
    if (stored.replaced && stored.replacedRefreshToken && !(await this.connections.grantSharedWithOthers(stored.replaced))) {
      await this.revokeQuietly(stored.replacedRefreshToken, 'the replaced connection');
    }
    this.logger.log(`company ${companyId} connected Xero (${granted.length} organisation(s) granted, connection ${stored.connection.id}, ${stored.connection.status})`);
    return this.view(companyId, stored.connection);
  }

  /** The organisations to choose from while the connection is pending. */
  async tenantsToChooseFrom(companyId: string): Promise<{ tenantId: string; organisationName: string }[]> {
    const current = await this.connections.findCurrent(companyId);
    if (!current || current.status !== 'pending_tenant') throw notPending();
    return current.grantedTenants.map((t) => ({ tenantId: t.tenantId, organisationName: t.tenantName }));
  }

  /** Settles a pending connection on one organisation; the others are disconnected at Xero. */
  async chooseTenant(user: AuthUser, companyId: string, tenantId: string): Promise<ConnectionView & { organisationsRemoved: number }> {
    const chosen = await this.dataSource.transaction(async (tx) => {
      const current = await this.connections.findCurrent(companyId, tx, true);
      if (!current || current.status !== 'pending_tenant') throw notPending();
      const tenant = current.grantedTenants.find((t) => t.tenantId === tenantId.toLowerCase());
      if (!tenant) throw new ConnectionsException(ConnectionsErrorCode.TenantNotGranted, 'That organisation was not granted in this connect attempt');
      const others = current.grantedTenants.filter((t) => t !== tenant);
      const now = new Date();
      Object.assign(current, {
        status: 'connected',
        tenantId: tenant.tenantId,
        tenantName: tenant.tenantName,
        xeroConnectionId: tenant.xeroConnectionId,
        grantedTenants: [],
        connectedAt: now,
        statusChangedAt: now,
        statusReason: null,
      } satisfies Partial<XeroConnection>);
      await tx.getRepository(XeroConnection).save(current);
      await this.publishConnected(tx, current);
      return { connection: current, others };
    });
    this.publisher.flush();
    let removed = 0;
    if (chosen.others.length > 0) {
      const { accessToken } = await this.tokens.accessTokenFor(companyId);
      removed = await this.removeAtXero(chosen.connection, chosen.others, accessToken);
    }
    this.logger.log(`company ${companyId} chose Xero organisation ${chosen.connection.tenantId} (user ${user.userId}); ${removed} other organisation(s) disconnected at Xero`);
    return { ...this.view(companyId, chosen.connection), organisationsRemoved: removed };
  }

  async status(companyId: string): Promise<ConnectionView> {
    return this.view(companyId, (await this.connections.findCurrent(companyId)) ?? (await this.connections.findLatest(companyId)));
  }

  /** Disconnects at Xero (as far as it answers) and locally; the company's data in other services stays. */
  async disconnect(user: AuthUser, companyId: string): Promise<ConnectionView & { xero: XeroCleanup }> {
    const ended = await this.dataSource.transaction(async (tx) => {
      const current = await this.connections.findCurrent(companyId, tx, true);
      if (!current) throw new ConnectionsException(ConnectionsErrorCode.NotFound, 'The company has no Xero connection');
      const xero = await this.cleanUpAtXero(tx, current);
      await this.retire(tx, current, 'disconnected_by_user', user.userId);
      if (current.tenantId) {
        await this.publisher.publish(tx, Topics.XeroConnectionDisconnected, companyId, {
          connectionId: current.id,
          tenantId: current.tenantId,
          disconnectedBy: user.userId,
        });
      }
      return { connection: current, xero };
    });
    this.publisher.flush();
    this.logger.log(`company ${companyId} disconnected Xero (connection ${ended.connection.id}, by ${user.userId})`);
    return { ...this.view(companyId, ended.connection), xero: ended.xero };
  }

  private async insert(
    tx: EntityManager,
    companyId: string,
    userId: string,
    tokens: XeroTokenSet,
    authEventId: string | null,
    granted: XeroTenantConnection[],
  ): Promise<XeroConnection> {
    const now = new Date();
    const single = granted.length === 1 ? granted[0] : undefined;
    const connection = tx.getRepository(XeroConnection).create({
      id: randomUUID(),
      companyId,
      status: single ? 'connected' : 'pending_tenant',
      tenantId: single?.tenantId ?? null,
      tenantName: single?.tenantName ?? null,
      xeroConnectionId: single?.id ?? null,
      authEventId,
      grantedTenants: single ? [] : granted.map((t): GrantedTenant => ({ xeroConnectionId: t.id, tenantId: t.tenantId, tenantName: t.tenantName })),
      scopes: tokens.scope || this.config.XERO_SCOPES,
      accessTokenExpiresAt: new Date(now.getTime() + tokens.expiresIn * 1000),
      refreshTokenIssuedAt: now,
      lastRefreshedAt: null,
      refreshCount: 0,
      connectedBy: userId,
      connectedAt: single ? now : null,
      statusReason: null,
      statusChangedAt: now,
      disconnectedBy: null,
    });
    connection.accessToken = this.vault.seal(tokens.accessToken, connectionAad(connection, 'access_token'));
    connection.refreshToken = this.vault.seal(tokens.refreshToken, connectionAad(connection, 'refresh_token'));
    await tx.getRepository(XeroConnection).insert(connection);
    if (single) await this.publishConnected(tx, connection);
    return connection;
  }

  private publishConnected(tx: EntityManager, connection: XeroConnection) {
    return this.publisher.publish(tx, Topics.XeroConnectionConnected, connection.companyId, {
      connectionId: connection.id,
      tenantId: connection.tenantId ?? '',
      organisationName: connection.tenantName ?? '',
      connectedBy: connection.connectedBy,
    });
  }

  /** Ends a connection locally (tokens dropped); returns its refresh token for a revocation after commit. */
  private async retire(tx: EntityManager, connection: XeroConnection, reason: string, by: string): Promise<string | undefined> {
    const refreshToken = connection.refreshToken ? this.vault.open(connection.refreshToken, connectionAad(connection, 'refresh_token')) : undefined;
    Object.assign(connection, {
      status: 'disconnected',
      statusReason: reason,
      statusChangedAt: new Date(),
      disconnectedBy: by,
      accessToken: null,
      refreshToken: null,
      accessTokenExpiresAt: null,
    } satisfies Partial<XeroConnection>);
    await tx.getRepository(XeroConnection).save(connection);
    return refreshToken;
  }

  /**
   * Removes the company's organisation connection(s) at Xero and revokes its grant, except what another
   * company's current connection still uses. Failures are logged and reported, never fatal.
   */
  private async cleanUpAtXero(tx: EntityManager, connection: XeroConnection): Promise<XeroCleanup> {
    const organisations: GrantedTenant[] =
      connection.status === 'pending_tenant'
        ? connection.grantedTenants
        : connection.xeroConnectionId && connection.tenantId
          ? [{ xeroConnectionId: connection.xeroConnectionId, tenantId: connection.tenantId, tenantName: connection.tenantName ?? '' }]
          : [];
    const usable = connection.accessToken && connection.accessTokenExpiresAt && connection.accessTokenExpiresAt.getTime() > Date.now() + 10_000;
    const accessToken = usable ? this.vault.open(connection.accessToken ?? '', connectionAad(connection, 'access_token')) : undefined;
    const organisationsRemoved = accessToken ? await this.removeAtXero(connection, organisations, accessToken, tx) : 0;

    let grantRevoked = false;
    if (connection.refreshToken && !(await this.connections.grantSharedWithOthers(connection, tx))) {
      grantRevoked = await this.revokeQuietly(this.vault.open(connection.refreshToken, connectionAad(connection, 'refresh_token')), `company ${connection.companyId}'s connection`);
    }
    return { organisationsRemoved, grantRevoked };
  }

  private async removeAtXero(connection: XeroConnection, organisations: GrantedTenant[], accessToken: string, tx?: EntityManager): Promise<number> {
    let removed = 0;
    for (const organisation of organisations) {
      if (await this.connections.organisationSharedWithOthers(connection.id, organisation, tx)) continue;
      try {
        await this.identity.deleteConnection(accessToken, organisation.xeroConnectionId);
        removed += 1;
      } catch (error) {
        this.logger.warn(`could not disconnect Xero organisation ${organisation.tenantId} for company ${connection.companyId}: ${(error as Error).message}`);
      }
    }
    return removed;
  }

  private async revokeQuietly(refreshToken: string, what: string): Promise<boolean> {
    try {
      await this.identity.revoke(refreshToken);
      return true;
    } catch (error) {
      this.logger.warn(`could not revoke the Xero grant of ${what}: ${(error as Error).message}`);
      return false;
    }
  }

  private view(companyId: string, connection: XeroConnection | null): ConnectionView {
    return connectionView(companyId, connection, new Date(), this.config.REFRESH_TOKEN_LIFETIME_DAYS);
  }
}

const alreadyActive = () =>
  new ConnectionsException(ConnectionsErrorCode.AlreadyActive, 'The company is connected to Xero already; disconnect first to connect another organisation');
const notPending = () => new ConnectionsException(ConnectionsErrorCode.TenantChoiceNotPending, 'No connection is waiting for an organisation to be chosen');
