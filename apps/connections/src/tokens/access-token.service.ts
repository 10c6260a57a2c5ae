import { Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { accessTokenFingerprint } from '@ledgerline/xero-client';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, register } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectionsConfig } from '../config/connections.config';
import { connectionAad, XeroConnection } from '../connections/entities/xero-connection.entity';
import { XeroConnectionRepository } from '../connections/xero-connection.repository';
import { XeroIdentityClient, XeroTokenSet } from '../oauth/xero-identity.client';
import { XeroIdentityErrorCode, XeroIdentityException } from '../oauth/xero-identity.exception';
import { TokenVault } from '../vault/token-vault.service';
import {
  expiryReason,
  keepAliveDue,
  needsRefresh,
  REFRESH_RETRY_DELAYS_MS,
  REJECTED_TOKEN_REFRESH_MIN_INTERVAL_MS,
  RejectedTokenDecision,
  rejectedTokenDecision,
} from './refresh-policy';
import { SingleFlight } from './single-flight';
import { TokenErrorCode, TokenException } from './token.exception';

/** What other services receive: never the refresh token. */
export interface IssuedAccessToken {
  accessToken: string;
  tenantId: string;
  expiresAt: string;
}

/** Why a refresh is attempted; `rejected` carries the fingerprint of the token a caller saw Xero refuse. */
type RefreshRequest = { reason: 'expiring' } | { reason: 'keep_alive' } | { reason: 'rejected'; rejected: string };

export interface AccessTokenRequest {
  /** Fingerprint (base64url SHA-256) of an access token Xero refused before its expiry. */
  rejected?: string;
  /**
   * Fingerprint of an access token Xero authenticated but refused for the company's organisation (403
   * AuthenticationUnsuccessful: the tenant is not connected to it): Xero's connections list is checked.
   */
  refusedTenant?: string;
}

type RefreshOutcome =
  | { kind: 'token'; token: IssuedAccessToken; refreshed: boolean }
  | { kind: 'unusable'; status: XeroConnection['status'] | 'missing' }
  | { kind: 'refresh' };

/** Two checks of Xero's connections list for one connection, forced by refused calls, are at least this far apart. */
export const TENANT_CHECK_MIN_INTERVAL_MS = 30_000;

/** What xero.connection.expired says when Xero no longer lists the organisation for the app. */
export const ORGANISATION_DISCONNECTED_DETAIL =
  "The organisation disconnected Ledgerline in Xero: Xero no longer lists it among the app's connections (disconnected in Xero's settings, or the Xero user's access revoked); the company must connect again";

const tenantChecks =
  (register.getSingleMetric('ledgerline_connections_tenant_checks_total') as Counter<'outcome'> | undefined) ??
  new Counter({
    name: 'ledgerline_connections_tenant_checks_total',
    help: "Checks of Xero's connections list after Xero refused a connection's organisation, by outcome",
    labelNames: ['outcome'],
  });

const refreshes =
  (register.getSingleMetric('ledgerline_connections_token_refreshes_total') as Counter<'reason' | 'outcome'> | undefined) ??
  new Counter({
    name: 'ledgerline_connections_token_refreshes_total',
    help: 'Xero token refreshes by reason and outcome',
    labelNames: ['reason', 'outcome'],
  });

/**
 * Hands out a company's access token, refreshing it first when it is about to expire.
 *
 * Refreshes are serialised per connection across replicas: the refresh runs inside a transaction that
 * holds the connection row (SELECT … FOR UPDATE) and re-reads it, so a replica that waited behind
 * another one finds the fresh token and does not refresh again. Within one process, concurrent
 * requests for one company share a single attempt. The refresh token stays in the vault until Xero's
 * answer is stored, so a lost answer is recovered by sending the same token again inside Xero's grace.
 *
 * Xero can refuse an access token before its expiry (the app revoked, the password changed, the
 * organisation disconnected). A caller that saw that reports the token's fingerprint; if it is still the
 * stored token, it is refreshed now (under the same lock, so many reports cost one refresh), unless it
 * is younger than REJECTED_TOKEN_REFRESH_MIN_INTERVAL_MS. A refresh Xero refuses ends the connection as
 * `expired`, exactly as an expiring token's refresh would.
 */
@Injectable()
export class AccessTokenService {
  private readonly logger = new Logger(AccessTokenService.name);
  private readonly inFlight = new SingleFlight<IssuedAccessToken>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: XeroConnectionRepository,
    private readonly vault: TokenVault,
    private readonly identity: XeroIdentityClient,
    private readonly publisher: EventPublisher,
    @Inject(ConnectionsConfig) private readonly config: ConnectionsConfig,
  ) {}

  /**
   * The company's access token with at least TOKEN_REFRESH_AHEAD_SECONDS left. With `rejected`, a token
   * Xero refused: if it is still the stored one (and not brand new), the tokens are refreshed first.
   */
  async accessTokenFor(companyId: string, request: AccessTokenRequest = {}): Promise<IssuedAccessToken> {
    const current = await this.connections.findCurrent(companyId);
    if (!current || current.status !== 'connected') throw unusable(current?.status ?? 'missing');
    if (request.refusedTenant !== undefined) {
      const reported = request.refusedTenant;
      // However many calls fail at once, one check per connection in this process (and one across replicas: see checkTenant).
      return this.inFlight.run(`tenant:${current.id}`, () => this.checkTenant(companyId, reported));
    }
    const { rejected } = request;
    if (rejected !== undefined) {
      const decision = this.rejectedDecision(current, rejected, new Date());
      if (decision === 'refresh') {
        this.logger.warn(`Xero refused access token ${rejected} of company ${companyId} before its expiry; refreshing`);
        return this.inFlight.run(`rejected:${companyId}:${rejected}`, () => this.refresh(companyId, { reason: 'rejected', rejected }));
      }
      if (decision === 'too_recent') {
        refreshes.inc({ reason: 'rejected', outcome: 'too_recent' });
        this.logger.warn(
          `Xero refused access token ${rejected} of company ${companyId}, issued less than ${REJECTED_TOKEN_REFRESH_MIN_INTERVAL_MS / 1000} s ago; not refreshing again yet`,
        );
      }
    }
    if (!needsRefresh(current.accessTokenExpiresAt, new Date(), this.config.TOKEN_REFRESH_AHEAD_SECONDS)) return this.issued(current);
    return this.inFlight.run(companyId, () => this.refresh(companyId, { reason: 'expiring' }));
  }

  /** Refreshes an idle connection so its refresh token does not run out; a no-op if another replica just did. */
  async keepAlive(companyId: string): Promise<boolean> {
    let refreshed = false;
    await this.inFlight.run(`keep-alive:${companyId}`, async () => {
      const outcome = await this.refreshOutcome(companyId, { reason: 'keep_alive' });
      if (outcome.kind === 'unusable') throw unusable(outcome.status);
      if (outcome.kind === 'refresh') throw unusable('missing');
      refreshed = outcome.refreshed;
      return outcome.token;
    });
    return refreshed;
  }

  private async refresh(companyId: string, request: RefreshRequest): Promise<IssuedAccessToken> {
    const outcome = await this.refreshOutcome(companyId, request);
    if (outcome.kind === 'unusable') throw unusable(outcome.status);
    if (outcome.kind === 'refresh') throw unusable('missing');
    return outcome.token;
  }

  private async refreshOutcome(companyId: string, request: RefreshRequest): Promise<RefreshOutcome> {
    const { reason } = request;
    let published = false;
    const outcome = await this.dataSource.transaction(async (tx): Promise<RefreshOutcome> => {
      const connection = await this.connections.findCurrent(companyId, tx, true);
      if (!connection || connection.status !== 'connected') return { kind: 'unusable', status: connection?.status ?? 'missing' };
      const now = new Date();
      // Another replica (or request) refreshed while this one waited for the lock: use its result.
      if (!this.refreshDue(connection, request, now)) return { kind: 'token', token: this.issued(connection), refreshed: false };

      let tokens: XeroTokenSet;
      try {
        tokens = await this.refreshWithRecovery(this.vault.open(connection.refreshToken ?? '', connectionAad(connection, 'refresh_token')));
      } catch (error) {
        if (error instanceof XeroIdentityException && error.code === XeroIdentityErrorCode.InvalidGrant) {
          await this.endConnection(tx, connection, 'expired', expiryReason(connection.refreshTokenIssuedAt, now, this.config.REFRESH_TOKEN_LIFETIME_DAYS));
          published = true;
          refreshes.inc({ reason, outcome: 'invalid_grant' });
          return { kind: 'unusable', status: 'expired' };
        }
        refreshes.inc({ reason, outcome: 'failed' });
        throw error;
      }
      await this.store(tx, connection, tokens, now);
      refreshes.inc({ reason, outcome: 'refreshed' });
      this.logger.log(`refreshed the Xero tokens of company ${companyId} (connection ${connection.id}, ${reason})`);

      if ((await this.tenantStillConnected(tokens.accessToken, connection)) === false) {
        await this.endConnection(tx, connection, 'revoked', 'revoked');
        published = true;
        return { kind: 'unusable', status: 'revoked' };
      }
      return { kind: 'token', token: this.issued(connection), refreshed: true };
    });
    if (published) this.publisher.flush();
    return outcome;
  }

  /**
   * Xero authenticated a token of this connection but refused its organisation: the organisation may have
   * disconnected the app, or the user's connections were removed (a revoked grant of the same user). Xero's
   * connections list tells. If the organisation is gone, the connection becomes `revoked` and
   * xero.connection.expired (reason `revoked`) is published; the caller gets CONNECTION_REVOKED.
   *
   * Like a refresh, the check runs holding the connection row (FOR UPDATE): the lock is what makes it one
   * check per connection across replicas, and a replica that waited finds the answer in the row
   * (`tenant_checked_at`, or the new status) instead of asking Xero again. The call has Xero's timeout.
   * A check within TENANT_CHECK_MIN_INTERVAL_MS of the last one is not repeated.
   */
  private async checkTenant(companyId: string, reported: string): Promise<IssuedAccessToken> {
    let published = false;
    const outcome = await this.dataSource.transaction(async (tx): Promise<RefreshOutcome> => {
      const connection = await this.connections.findCurrent(companyId, tx, true);
      if (!connection || connection.status !== 'connected') return { kind: 'unusable', status: connection?.status ?? 'missing' };
      const now = new Date();
      if (connection.tenantCheckedAt !== null && now.getTime() - connection.tenantCheckedAt.getTime() < TENANT_CHECK_MIN_INTERVAL_MS) {
        return { kind: 'token', token: this.issued(connection), refreshed: false };
      }
      // A token about to lapse is refreshed rather than checked: the refresh checks the connections list too.
      if (!connection.accessToken || needsRefresh(connection.accessTokenExpiresAt, now, this.config.TOKEN_REFRESH_AHEAD_SECONDS)) return { kind: 'refresh' };
      const accessToken = this.vault.open(connection.accessToken, connectionAad(connection, 'access_token'));
      const still = await this.tenantStillConnected(accessToken, connection);
      await tx.getRepository(XeroConnection).update({ id: connection.id }, { tenantCheckedAt: now });
      tenantChecks.inc({ outcome: still === false ? 'gone' : still ? 'connected' : 'unknown' });
      if (still === false) {
        this.logger.warn(`Xero refused organisation ${connection.tenantId} to access token ${reported} of company ${companyId}, and no longer lists it as connected`);
        await this.endConnection(tx, connection, 'revoked', 'revoked');
        published = true;
        return { kind: 'unusable', status: 'revoked' };
      }
      return { kind: 'token', token: this.issued(connection), refreshed: false };
    });
    if (published) this.publisher.flush();
    if (outcome.kind === 'refresh') return this.inFlight.run(companyId, () => this.refresh(companyId, { reason: 'expiring' }));
    if (outcome.kind === 'unusable') throw unusable(outcome.status);
    return outcome.token;
  }

  /** Decided again once the row is locked: the answer read before the lock may be out of date. */
  private refreshDue(connection: XeroConnection, request: RefreshRequest, now: Date): boolean {
    const expiring = needsRefresh(connection.accessTokenExpiresAt, now, this.config.TOKEN_REFRESH_AHEAD_SECONDS);
    switch (request.reason) {
      case 'expiring':
        return expiring;
      case 'keep_alive':
        return keepAliveDue(connection.refreshTokenIssuedAt, now, this.config.KEEP_ALIVE_AFTER_DAYS);
      case 'rejected':
        return expiring || this.rejectedDecision(connection, request.rejected, now) === 'refresh';
    }
  }

  /** The stored access token's issue time is when its pair was issued (connect or refresh). */
  private rejectedDecision(connection: XeroConnection, rejected: string, now: Date): RejectedTokenDecision {
    if (!connection.accessToken) return 'refresh';
    const current = accessTokenFingerprint(this.vault.open(connection.accessToken, connectionAad(connection, 'access_token')));
    return rejectedTokenDecision({ rejected, current, issuedAt: connection.refreshTokenIssuedAt }, now, REJECTED_TOKEN_REFRESH_MIN_INTERVAL_MS);
  }

  /**
   * One refresh, retried with the same refresh token when the answer was lost (network error, timeout,
   * 5xx): Xero has either not rotated yet, or rotated and returns the same new pair inside its grace.
   */
  private async refreshWithRecovery(refreshToken: string): Promise<XeroTokenSet> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.identity.refresh(refreshToken);
      } catch (error) {
        const lost = error instanceof XeroIdentityException && error.code === XeroIdentityErrorCode.Unavailable;
        if (!lost || attempt >= REFRESH_RETRY_DELAYS_MS.length) throw error;
        this.logger.warn(`Xero token refresh got no usable answer (${(error as Error).message}); retrying with the same refresh token`);
        await new Promise((resolve) => setTimeout(resolve, REFRESH_RETRY_DELAYS_MS[attempt]));
      }
    }
  }

  private async store(tx: EntityManager, connection: XeroConnection, tokens: XeroTokenSet, now: Date): Promise<void> {
    connection.accessToken = this.vault.seal(tokens.accessToken, connectionAad(connection, 'access_token'));
    connection.refreshToken = this.vault.seal(tokens.refreshToken, connectionAad(connection, 'refresh_token'));
    connection.accessTokenExpiresAt = new Date(now.getTime() + tokens.expiresIn * 1000);
    connection.refreshTokenIssuedAt = now;
    connection.lastRefreshedAt = now;
    connection.refreshCount += 1;
    await tx.getRepository(XeroConnection).update(
      { id: connection.id },
      {
        accessToken: connection.accessToken,
        refreshToken: connection.refreshToken,
        accessTokenExpiresAt: connection.accessTokenExpiresAt,
        refreshTokenIssuedAt: now,
        lastRefreshedAt: now,
        refreshCount: connection.refreshCount,
      },
    );
  }

  /** Xero keeps refreshing a grant whose organisation was disconnected on Xero's side; its connections list tells. */
  private async tenantStillConnected(accessToken: string, connection: XeroConnection): Promise<boolean | undefined> {
    try {
      const tenants = await this.identity.listConnections(accessToken);
      return tenants.some((tenant) => tenant.tenantId === connection.tenantId);
    } catch (error) {
      this.logger.warn(`could not check that company ${connection.companyId}'s organisation is still connected: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Marks the connection unusable and announces it, in the caller's transaction. */
  private async endConnection(tx: EntityManager, connection: XeroConnection, status: 'expired' | 'revoked', reason: 'refresh_token_expired' | 'invalid_grant' | 'revoked'): Promise<void> {
    const now = new Date();
    await tx.getRepository(XeroConnection).update({ id: connection.id }, { status, statusReason: reason, statusChangedAt: now });
    await this.publisher.publish(tx, Topics.XeroConnectionExpired, connection.companyId, {
      connectionId: connection.id,
      tenantId: connection.tenantId ?? '',
      reason,
      detail: status === 'revoked' ? ORGANISATION_DISCONNECTED_DETAIL : 'Xero refused the refresh token; the company must connect again',
    });
    this.logger.warn(`the Xero connection of company ${connection.companyId} is ${status} (${reason})`);
  }

  private issued(connection: XeroConnection): IssuedAccessToken {
    if (!connection.accessToken || !connection.tenantId || !connection.accessTokenExpiresAt) throw unusable('missing');
    return {
      accessToken: this.vault.open(connection.accessToken, connectionAad(connection, 'access_token')),
      tenantId: connection.tenantId,
      expiresAt: connection.accessTokenExpiresAt.toISOString(),
    };
  }
}

function unusable(status: XeroConnection['status'] | 'missing'): TokenException {
  switch (status) {
    case 'expired':
      return new TokenException(TokenErrorCode.Expired, 'The Xero connection has expired; the company must connect again');
    case 'revoked':
      return new TokenException(TokenErrorCode.Revoked, 'The Xero organisation was disconnected in Xero; the company must connect again');
    case 'pending_tenant':
      return new TokenException(TokenErrorCode.NotFound, 'The Xero connection is waiting for an organisation to be chosen');
    default:
      return new TokenException(TokenErrorCode.NotFound, 'The company has no Xero connection');
  }
}
