import { AuthUser } from '@ledgerline/auth';
import { Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectionsConfig } from '../config/connections.config';
import { authEventIdOf, xeroUserIdOf } from '../oauth/access-token-claims';
import { OAuthStateStore } from '../oauth/oauth-state.store';
import { OAuthErrorCode, OAuthException } from '../oauth/oauth.exception';
import { XeroIdentityClient, XeroTenantConnection, XeroTokenSet } from '../oauth/xero-identity.client';
import { XeroOAuthStrategy } from '../oauth/xero-oauth.strategy';
import { AccessTokenService } from '../tokens/access-token.service';
import { TokenVault } from '../vault/token-vault.service';
import { connectionView, ConnectionView } from './connection-view';
import { ConnectionsErrorCode, ConnectionsException } from './connections.exception';
import { connectDecision, XeroCleanupPlan, xeroCleanupPlan, XeroFootprint, XeroOrganisationLink } from './domain/organisation-sharing';
import { connectionAad, GrantedTenant, XeroConnection } from './entities/xero-connection.entity';
import { footprintOf, XeroConnectionRepository } from './xero-connection.repository';

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

/** What was undone at Xero when a connection ended (best effort: local state never waits on Xero). */
export interface XeroCleanup {
  organisationsRemoved: number;
  /** Organisation connections left at Xero because another Ledgerline connection still uses them. */
  organisationsKept: number;
  grantRevoked: boolean;
  /** This company's tokens are deleted whatever Xero answered. */
  tokensDeleted: true;
  /** In words, for the admin: what was done at Xero and what was left, and why. */
  detail: string;
}

/** The tokens of an ended connection, opened before they were deleted, for the calls to Xero after commit. */
interface EndedTokens {
  accessToken?: string;
  refreshToken?: string;
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
    const xeroUserId = xeroUserIdOf(tokens.accessToken) ?? null;
    const connectionId = randomUUID();
    const grantOf = (organisations: XeroOrganisationLink[]): XeroFootprint => ({ connectionId, companyId, xeroUserId, authEventId, organisations });
    let granted: XeroTenantConnection[];
    try {
      granted = (await this.identity.listConnections(tokens.accessToken, authEventId ?? undefined)).filter(
        (tenant) => !authEventId || !tenant.authEventId || tenant.authEventId === authEventId,
      );
    } catch (error) {
      await this.forgetGrant(grantOf([]), tokens, 'a connect attempt whose organisations could not be read');
      throw error;
    }
    if (granted.length === 0) {
      await this.forgetGrant(grantOf([]), tokens, 'a consent without organisations');
      throw new ConnectionsException(ConnectionsErrorCode.NoOrganisationGranted, 'No Xero organisation was chosen at Xero');
    }
    const newGrant = grantOf(granted.map((t) => ({ tenantId: t.tenantId, xeroConnectionId: t.id })));

    const outcome = await this.dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`connections:company:${companyId}`]);
      const current = await this.connections.findCurrent(companyId, tx, true);
      if (current?.status === 'connected') return { kind: 'active' as const, plan: xeroCleanupPlan(newGrant, await this.connections.footprintsAround(newGrant, tx)) };
      if (granted.length === 1) {
        const refused = await this.organisationRefused(tx, companyId, granted[0].tenantId);
        if (refused) return { kind: 'refused' as const, inUseBy: refused, plan: xeroCleanupPlan(newGrant, await this.connections.footprintsAround(newGrant, tx)) };
      }
      const replaced = current ? footprintOf(current) : undefined;
      const replacedRefreshToken = current ? (await this.retire(tx, current, 'replaced', user.userId)).refreshToken : undefined;
      const connection = await this.insert(tx, newGrant.connectionId, companyId, attempt.userId, tokens, authEventId, xeroUserId, granted);
      // Decided with the replacement in place: the same Xero user reconnecting must keep the connection it just made.
      const replacedPlan = replaced ? xeroCleanupPlan(replaced, await this.connections.footprintsAround(replaced, tx)) : undefined;
      return { kind: 'stored' as const, connection, replacedRefreshToken, replacedPlan };
    });
    if (outcome.kind !== 'stored') {
      // Undo only what nobody else stands on: the same Xero user's consent may now own another company's connection at Xero.
      await this.undoAtXero(companyId, outcome.plan, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }, 'a refused connect attempt');
      if (outcome.kind === 'active') throw alreadyActive();
      throw organisationInUse(outcome.inUseBy);
    }
    this.publisher.flush();
    if (outcome.replacedRefreshToken && outcome.replacedPlan?.revokeGrant) {
      await this.revokeQuietly(outcome.replacedRefreshToken, 'the replaced connection');
    }
    this.logger.log(`company ${companyId} connected Xero (${granted.length} organisation(s) granted, connection ${outcome.connection.id}, ${outcome.connection.status})`);
    return this.view(companyId, outcome.connection);
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
      const inUseBy = await this.organisationRefused(tx, companyId, tenant.tenantId);
      if (inUseBy) throw organisationInUse(inUseBy);
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
      const unchosen: XeroFootprint = { ...footprintOf(chosen.connection), organisations: chosen.others.map(({ tenantId, xeroConnectionId }) => ({ tenantId, xeroConnectionId })) };
      const plan = xeroCleanupPlan(unchosen, await this.connections.footprintsAround(unchosen));
      removed = await this.removeAtXero(companyId, plan.remove, accessToken);
    }
    this.logger.log(`company ${companyId} chose Xero organisation ${chosen.connection.tenantId} (user ${user.userId}); ${removed} other organisation(s) disconnected at Xero`);
    return { ...this.view(companyId, chosen.connection), organisationsRemoved: removed };
  }

  async status(companyId: string): Promise<ConnectionView> {
    return this.view(companyId, (await this.connections.findCurrent(companyId)) ?? (await this.connections.findLatest(companyId)));
  }

  /**
   * Disconnects locally, then at Xero as far as nobody else stands on it and Xero answers; the company's
   * data in other services stays. Xero is called after the commit: the row lock is never held across it.
   */
  async disconnect(user: AuthUser, companyId: string): Promise<ConnectionView & { xero: XeroCleanup }> {
    const ended = await this.dataSource.transaction(async (tx) => {
      const current = await this.connections.findCurrent(companyId, tx, true);
      if (!current) throw new ConnectionsException(ConnectionsErrorCode.NotFound, 'The company has no Xero connection');
      const footprint = footprintOf(current);
      const plan = xeroCleanupPlan(footprint, await this.connections.footprintsAround(footprint, tx));
      const usable = current.accessTokenExpiresAt !== null && current.accessTokenExpiresAt.getTime() > Date.now() + 10_000;
      const tokens = await this.retire(tx, current, 'disconnected_by_user', user.userId);
      if (current.tenantId) {
        await this.publisher.publish(tx, Topics.XeroConnectionDisconnected, companyId, {
          connectionId: current.id,
          tenantId: current.tenantId,
          disconnectedBy: user.userId,
        });
      }
      return { connection: current, plan, tokens: usable ? tokens : { refreshToken: tokens.refreshToken } };
    });
    this.publisher.flush();
    const xero = await this.undoAtXero(companyId, ended.plan, ended.tokens, `company ${companyId}'s connection`);
    this.logger.log(
      `company ${companyId} disconnected Xero (connection ${ended.connection.id}, by ${user.userId}): ${xero.organisationsRemoved} organisation connection(s) removed at Xero, ${xero.organisationsKept} kept for other connections, grant ${xero.grantRevoked ? 'revoked' : 'kept'}`,
    );
    return { ...this.view(companyId, ended.connection), xero };
  }

  /**
   * Gives up a grant that was never stored: revoked (and its organisation connections removed) only as far
   * as no stored connection could stand on them. The same Xero user's consent takes over that user's
   * connections at Xero, and revoking it would remove all of them.
   */
  private async forgetGrant(grant: XeroFootprint, tokens: XeroTokenSet, what: string): Promise<void> {
    const plan = xeroCleanupPlan(grant, await this.connections.footprintsAround(grant));
    await this.undoAtXero(grant.companyId, plan, tokens, what);
  }

  /** Null when the company may connect the organisation; else the id of the other company's connection that uses it. */
  private async organisationRefused(tx: EntityManager, companyId: string, tenantId: string): Promise<string | null> {
    // Two companies connecting one organisation at once must not both pass the check.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`connections:tenant:${tenantId}`]);
    const decision = connectDecision(companyId, tenantId, await this.connections.currentOnOrganisation(tenantId, tx), await this.connections.sharingAllowed(tenantId, tx));
    if (decision.kind === 'allowed') {
      if (decision.sharedWith.length > 0) this.logger.log(`company ${companyId} connects Xero organisation ${tenantId}, shared with connection(s) ${decision.sharedWith.join(', ')}`);
      return null;
    }
    this.logger.warn(`company ${companyId} may not connect Xero organisation ${tenantId}: connection ${decision.inUseBy} of another company uses it and sharing is not allowed`);
    return decision.inUseBy;
  }

  private async insert(
    tx: EntityManager,
    id: string,
    companyId: string,
    userId: string,
    tokens: XeroTokenSet,
    authEventId: string | null,
    xeroUserId: string | null,
    granted: XeroTenantConnection[],
  ): Promise<XeroConnection> {
    const now = new Date();
    const single = granted.length === 1 ? granted[0] : undefined;
    const connection = tx.getRepository(XeroConnection).create({
      id,
      xeroUserId,
      tenantCheckedAt: null,
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

  /** Ends a connection locally (tokens deleted); returns them opened, for the calls to Xero after commit. */
  private async retire(tx: EntityManager, connection: XeroConnection, reason: string, by: string): Promise<EndedTokens> {
    const refreshToken = connection.refreshToken ? this.vault.open(connection.refreshToken, connectionAad(connection, 'refresh_token')) : undefined;
    const accessToken = connection.accessToken ? this.vault.open(connection.accessToken, connectionAad(connection, 'access_token')) : undefined;
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
    return { accessToken, refreshToken };
  }

  /**
   * Carries out a cleanup plan at Xero, with no transaction open: removes the organisation connections
   * nobody else uses (with the access token, when there is a usable one) and revokes the grant when no
   * other connection could belong to its Xero user. Failures are logged and reported, never fatal.
   */
  private async undoAtXero(companyId: string, plan: XeroCleanupPlan, tokens: EndedTokens, what: string): Promise<XeroCleanup> {
    const organisationsRemoved = tokens.accessToken ? await this.removeAtXero(companyId, plan.remove, tokens.accessToken) : 0;
    const grantRevoked = plan.revokeGrant && tokens.refreshToken ? await this.revokeQuietly(tokens.refreshToken, what) : false;
    const left = [...(plan.keep.length > 0 ? [`${plan.keep.length} organisation connection(s)`] : []), ...(plan.revokeGrant ? [] : ['the grant'])];
    const detail =
      left.length === 0
        ? "This company's Xero tokens were deleted, and its connection at Xero was removed as far as Xero answered."
        : `This company's Xero tokens were deleted. At Xero, ${left.join(' and ')} ${left.length > 1 || plan.keep.length > 1 ? 'were' : 'was'} left in place: ${plan.keptFor.length} other Ledgerline connection(s) still depend on them through the same Xero user, and keep working.`;
    return { organisationsRemoved, organisationsKept: plan.keep.length, grantRevoked, tokensDeleted: true, detail };
  }

  private async removeAtXero(companyId: string, organisations: XeroOrganisationLink[], accessToken: string): Promise<number> {
    let removed = 0;
    for (const organisation of organisations) {
      try {
        await this.identity.deleteConnection(accessToken, organisation.xeroConnectionId);
        removed += 1;
      } catch (error) {
        this.logger.warn(`could not disconnect Xero organisation ${organisation.tenantId} for company ${companyId}: ${(error as Error).message}`);
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
const organisationInUse = (connectionId: string) =>
  new ConnectionsException(
    ConnectionsErrorCode.OrganisationInUse,
    `This Xero organisation is already connected to another Ledgerline company (connection ${connectionId}). One organisation serves one company unless a super admin allows sharing it.`,
  );
const notPending = () => new ConnectionsException(ConnectionsErrorCode.TenantChoiceNotPending, 'No connection is waiting for an organisation to be chosen');
