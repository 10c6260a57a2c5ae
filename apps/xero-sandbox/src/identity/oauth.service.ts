import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { CallsService } from '../calls/calls.service';
import { ClockService } from '../clock/clock.service';
import { SandboxException } from '../common/sandbox.exception';
import { identityDate } from '../common/xero-json';
import { SANDBOX_CONFIG } from '../config/config.tokens';
import { ClientRegistration, SandboxConfig } from '../config/sandbox-config';
import { OrganisationsService } from '../organisations/organisations.service';
import { Persistent } from '../state/persistent';
import { ClientsService } from './clients.service';
import { JwtSigner } from './jwt-signer.service';
import { verifyPkce } from './pkce';
import { SANDBOX_USER, SandboxUser } from './sandbox-users';

export { SANDBOX_USER } from './sandbox-users';

export interface TokenResponse {
  id_token?: string;
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  refresh_token?: string;
  scope: string;
}

interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  authEventId: string;
  userId?: string;
  expiresAt: number;
  used: boolean;
}

interface Grant {
  authEventId: string;
  clientId: string;
  /** The Xero user who consented (absent in state files from before there were several users: the default user). */
  userId?: string;
  scope: string;
  nonce?: string;
  revoked: boolean;
  pkce: boolean;
}

interface RefreshTokenRecord {
  grant: Grant;
  expiresAt: number;
  rotatedAt?: number;
  /** The pair handed out when this token was used; replayed for a reuse inside the grace period. */
  successor?: TokenResponse;
  revoked: boolean;
}

interface AccessTokenRecord {
  grant: Grant;
  expiresAt: number;
  revoked: boolean;
}

export interface Connection {
  id: string;
  authEventId: string;
  tenantId: string;
  tenantType: 'ORGANISATION';
  tenantName: string;
  createdDateUtc: string;
  updatedDateUtc: string;
}

export interface Principal {
  clientId: string;
  /** The Xero user the token was issued to: the APIs and GET /connections see that user's connections only. */
  userId: string;
  authEventId: string;
  tokenId: string;
  /** The scopes the user consented to for this token's grant. */
  scopes: string[];
}

/**
 * Identity state as plain data. Refresh and access tokens share their grant object in memory (revoking
 * the grant ends them all), so the snapshot lists each grant once and tokens point at it by index.
 */
export interface IdentityState {
  grants: Grant[];
  codes: (AuthorizationCode & { code: string })[];
  refreshTokens: (Omit<RefreshTokenRecord, 'grant'> & { token: string; grant: number })[];
  accessTokens: (Omit<AccessTokenRecord, 'grant'> & { jti: string; grant: number })[];
  /** Per app and user; `userId` is absent in state files from before there were several users (the default user). */
  connections: { clientId: string; userId?: string; connections: Connection[] }[];
  /** Users added through the test API (the default user always exists). */
  users?: SandboxUser[];
}

/** A connection with the user it belongs to, for the test API (Xero's GET /connections never shows the user). */
export interface UserConnection extends Connection {
  clientId: string;
  userId: string;
}

export interface ClientCredentials {
  clientId?: string;
  clientSecret?: string;
}

/**
 * Xero identity: authorization codes, token issue and rotation, revocation, connections and bearer
 * authentication. Refresh tokens rotate on use; the previous one stays usable for the grace period
 * and returns the same new pair, so a client that lost a refresh response can recover.
 *
 * As at Xero, a connection belongs to the app, the user and the organisation: two users connecting one
 * organisation have a connection each, and a user's later consent to the same organisation takes over
 * that user's connection (same id, the new authEventId). A token reaches the organisations its user's
 * connections name, whichever consent made them. Revoking a refresh token ends its grant and removes
 * every connection of that user to the app; other users' connections stay.
 */
@Injectable()
export class OAuthService implements Persistent<IdentityState> {
  private codes = new Map<string, AuthorizationCode>();
  private refreshTokens = new Map<string, RefreshTokenRecord>();
  private accessTokens = new Map<string, AccessTokenRecord>();
  /** `${clientId} ${userId}` -> tenantId -> connection. */
  private connections = new Map<string, Map<string, Connection>>();
  private users = new Map<string, SandboxUser>([[SANDBOX_USER.id, SANDBOX_USER]]);

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly clock: ClockService,
    private readonly clients: ClientsService,
    private readonly organisations: OrganisationsService,
    private readonly signer: JwtSigner,
    private readonly calls: CallsService,
  ) {}

  /** The user approved: connect the chosen organisations and mint a code. */
  approve(params: { clientId: string; redirectUri: string; scope: string; tenantIds: string[]; nonce?: string; codeChallenge?: string; userId?: string }): string {
    const userId = this.requireUser(params.userId).id;
    const authEventId = this.connect(params.clientId, userId, params.tenantIds);
    const code = randomBytes(32).toString('hex');
    this.codes.set(code, {
      clientId: params.clientId,
      redirectUri: params.redirectUri,
      scope: params.scope,
      nonce: params.nonce,
      codeChallenge: params.codeChallenge,
      authEventId,
      userId,
      expiresAt: this.clock.now() + this.config.authorizationCodeTtlMs,
      used: false,
    });
    return code;
  }

  /** Test API shortcut: a consent and a token pair without the browser round trip. */
  issueDirectly(clientId: string, tenantIds: string[], scope: string, issuer: string, userId?: string): TokenResponse {
    if (!this.clients.find(clientId)) throw SandboxException.testApi(`Unknown client ${clientId}`);
    const user = this.users.get((userId ?? SANDBOX_USER.id).toLowerCase());
    if (!user) throw SandboxException.testApi(`Unknown user ${userId}`);
    const authEventId = this.connect(clientId, user.id, tenantIds);
    return this.issue({ authEventId, clientId, userId: user.id, scope, revoked: false, pkce: false }, issuer);
  }

  /** Test API: another Xero user (a second bookkeeper, say) who can consent on their own. */
  addUser(user: SandboxUser): SandboxUser {
    if (this.users.has(user.id)) throw SandboxException.testApi(`User ${user.id} already exists`);
    this.users.set(user.id, user);
    return user;
  }

  listUsers(): SandboxUser[] {
    return [...this.users.values()];
  }

  /** The consenting user: the default one unless named; an unknown one ends the consent like a failed login. */
  private requireUser(userId: string | undefined): SandboxUser {
    const user = this.users.get((userId ?? SANDBOX_USER.id).toLowerCase());
    if (!user) throw SandboxException.oauth('access_denied', `No Xero user ${userId} exists in the sandbox`);
    return user;
  }

  /** Test API: every connection of every user (optionally of one app), with its user. */
  allConnections(clientId?: string): UserConnection[] {
    return [...this.connections].flatMap(([key, byTenant]) => {
      const [owner, userId] = key.split(' ');
      return owner === clientId || clientId === undefined ? [...byTenant.values()].map((c) => ({ ...c, clientId: owner, userId })) : [];
    });
  }

  /**
   * Test API: the organisation disconnects the app in Xero (its "Connected apps" settings): every user's
   * connection of that app to it ends. Tokens stay valid, but calls to that tenant are refused (403).
   */
  disconnectOrganisation(tenantId: string, clientId?: string): number {
    let removed = 0;
    for (const [key, byTenant] of this.connections) {
      if (clientId !== undefined && key.split(' ')[0] !== clientId) continue;
      if (byTenant.delete(tenantId.toLowerCase())) removed += 1;
    }
    return removed;
  }

  private connectionsOf(clientId: string, userId: string): Map<string, Connection> | undefined {
    return this.connections.get(`${clientId} ${userId}`);
  }

  private connect(clientId: string, userId: string, tenantIds: string[]): string {
    const organisations = tenantIds.map((id) => this.organisations.get(id));
    if (organisations.length === 0 || organisations.some((o) => !o)) throw SandboxException.oauth('access_denied', 'Choose at least one existing organisation');
    const authEventId = randomUUID();
    const now = identityDate(this.clock.now());
    const byTenant = this.connectionsOf(clientId, userId) ?? new Map<string, Connection>();
    for (const organisation of organisations) {
      if (!organisation) continue;
      const existing = byTenant.get(organisation.tenantId);
      byTenant.set(organisation.tenantId, {
        id: existing?.id ?? randomUUID(),
        authEventId,
        tenantId: organisation.tenantId,
        tenantType: 'ORGANISATION',
        tenantName: organisation.name,
        createdDateUtc: existing?.createdDateUtc ?? now,
        updatedDateUtc: now,
      });
    }
    this.connections.set(`${clientId} ${userId}`, byTenant);
    return authEventId;
  }

  /** Client authentication at the token and revocation endpoints (Basic or body; none for PKCE). */
  authenticateClient(credentials: ClientCredentials): { client: ClientRegistration; authenticated: boolean } {
    const client = this.clients.find(credentials.clientId);
    if (!client) throw SandboxException.oauth('invalid_client', undefined, 401);
    if (credentials.clientSecret !== undefined) {
      if (!this.clients.secretMatches(client, credentials.clientSecret)) throw SandboxException.oauth('invalid_client', undefined, 401);
      return { client, authenticated: true };
    }
    return { client, authenticated: false };
  }

  exchangeCode(credentials: ClientCredentials, params: { code?: string; redirectUri?: string; codeVerifier?: string }, issuer: string): TokenResponse {
    const { client, authenticated } = this.authenticateClient(credentials);
    const code = params.code ? this.codes.get(params.code) : undefined;
    if (!code || code.used || code.clientId !== client.clientId || code.expiresAt <= this.clock.now()) {
      throw SandboxException.oauth('invalid_grant');
    }
    if (code.redirectUri !== params.redirectUri) throw SandboxException.oauth('invalid_grant', 'redirect_uri does not match the authorization request');
    if (code.codeChallenge) {
      if (!verifyPkce(params.codeVerifier, code.codeChallenge)) throw SandboxException.oauth('invalid_grant', 'code_verifier does not match the code_challenge');
    } else if (!authenticated) {
      throw SandboxException.oauth('invalid_client', undefined, 401);
    }
    code.used = true;
    return this.issue(
      { authEventId: code.authEventId, clientId: client.clientId, userId: code.userId, scope: code.scope, nonce: code.nonce, revoked: false, pkce: !!code.codeChallenge },
      issuer,
    );
  }

  refresh(credentials: ClientCredentials, refreshToken: string | undefined, issuer: string): TokenResponse {
    const { client, authenticated } = this.authenticateClient(credentials);
    const record = refreshToken ? this.refreshTokens.get(refreshToken) : undefined;
    if (!record || record.revoked || record.grant.revoked || record.grant.clientId !== client.clientId) throw SandboxException.oauth('invalid_grant');
    // Confidential apps must authenticate; PKCE grants refresh with client_id alone.
    if (!authenticated && !record.grant.pkce) throw SandboxException.oauth('invalid_client', undefined, 401);
    const now = this.clock.now();
    if (record.rotatedAt !== undefined && record.successor) {
      if (now - record.rotatedAt <= this.config.refreshGraceMs) {
        this.calls.countRefresh(client.clientId, 'replayed');
        return record.successor;
      }
      throw SandboxException.oauth('invalid_grant');
    }
    if (record.expiresAt <= now) throw SandboxException.oauth('invalid_grant');
    const response = this.issue(record.grant, issuer);
    record.rotatedAt = now;
    record.successor = response;
    this.calls.countRefresh(client.clientId, 'rotated');
    return response;
  }

  /** RFC 7009: always 200 for a token the client may hold; a refresh token ends its whole grant. */
  revoke(credentials: ClientCredentials, token: string | undefined): void {
    const { client, authenticated } = this.authenticateClient(credentials);
    if (!token) throw SandboxException.oauth('invalid_request', 'token is required');
    const refresh = this.refreshTokens.get(token);
    if (refresh && refresh.grant.clientId === client.clientId) {
      if (!authenticated && !refresh.grant.pkce) throw SandboxException.oauth('invalid_client', undefined, 401);
      this.revokeGrant(refresh.grant);
      return;
    }
    const jti = this.signer.verify(token)?.['jti'];
    const access = typeof jti === 'string' ? this.accessTokens.get(jti) : undefined;
    if (access && access.grant.clientId === client.clientId) access.revoked = true;
  }

  /**
   * Xero: revoking a refresh token "revokes a user's refresh token and removes all their connections to
   * your app", not only those its own consent made. The user's other grants still refresh, but reach nothing.
   */
  private revokeGrant(grant: Grant): void {
    grant.revoked = true;
    this.connections.delete(`${grant.clientId} ${userOf(grant)}`);
  }

  /** Bearer authentication for the APIs: a valid, unexpired, unrevoked access token. */
  authenticate(authorization: string | undefined): Principal {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const claims = match ? this.signer.verify(match[1]) : undefined;
    const jti = claims?.['jti'];
    const record = typeof jti === 'string' ? this.accessTokens.get(jti) : undefined;
    if (!record || record.revoked || record.grant.revoked) throw new SandboxException('UNAUTHENTICATED', 'AuthenticationUnsuccessful');
    if (record.expiresAt <= this.clock.now()) {
      throw new SandboxException('TOKEN_EXPIRED', `TokenExpired: token expired at ${new Date(record.expiresAt).toISOString()}`);
    }
    return {
      clientId: record.grant.clientId,
      userId: userOf(record.grant),
      authEventId: record.grant.authEventId,
      tokenId: jti as string,
      scopes: record.grant.scope.split(' ').filter((s) => s !== ''),
    };
  }

  hasTenant(principal: Principal, tenantId: string): boolean {
    return this.connectionsOf(principal.clientId, principal.userId)?.has(tenantId.toLowerCase()) ?? false;
  }

  listConnections(principal: Principal, authEventId?: string): Connection[] {
    const all = [...(this.connectionsOf(principal.clientId, principal.userId)?.values() ?? [])];
    return authEventId ? all.filter((c) => c.authEventId === authEventId.toLowerCase()) : all;
  }

  deleteConnection(principal: Principal, id: string): void {
    const byTenant = this.connectionsOf(principal.clientId, principal.userId);
    const connection = [...(byTenant?.values() ?? [])].find((c) => c.id === id.toLowerCase());
    if (!connection || !byTenant) throw SandboxException.notFound();
    byTenant.delete(connection.tenantId);
  }

  userInfo(principal: Principal): Record<string, unknown> {
    const user = this.users.get(principal.userId) ?? SANDBOX_USER;
    return {
      sub: user.id,
      xero_userid: user.id,
      email: user.email,
      given_name: user.givenName,
      family_name: user.familyName,
      name: `${user.givenName} ${user.familyName}`,
      preferred_username: user.email,
      authentication_event_id: principal.authEventId,
    };
  }

  reset(): void {
    this.codes.clear();
    this.refreshTokens.clear();
    this.accessTokens.clear();
    this.connections.clear();
    this.users = new Map([[SANDBOX_USER.id, SANDBOX_USER]]);
  }

  snapshot(): IdentityState {
    const grants = new Map<Grant, number>();
    const indexOf = (grant: Grant) => {
      if (!grants.has(grant)) grants.set(grant, grants.size);
      return grants.get(grant) as number;
    };
    const refreshTokens = [...this.refreshTokens].map(([token, { grant, ...record }]) => ({ token, ...record, grant: indexOf(grant) }));
    const accessTokens = [...this.accessTokens].map(([jti, { grant, ...record }]) => ({ jti, ...record, grant: indexOf(grant) }));
    return {
      grants: [...grants.keys()],
      codes: [...this.codes].map(([code, record]) => ({ code, ...record })),
      refreshTokens,
      accessTokens,
      connections: [...this.connections].map(([key, byTenant]) => {
        const [clientId, userId] = key.split(' ');
        return { clientId, userId, connections: [...byTenant.values()] };
      }),
      users: this.listUsers().filter((u) => u.id !== SANDBOX_USER.id),
    };
  }

  restore(state: IdentityState): void {
    this.reset();
    const grantAt = (index: number) => {
      const grant = state.grants[index];
      if (!grant) throw new RangeError(`token refers to grant ${index}, which is not in the file`);
      return grant;
    };
    for (const { code, ...record } of state.codes) this.codes.set(code, record);
    for (const { token, grant, ...record } of state.refreshTokens) this.refreshTokens.set(token, { ...record, grant: grantAt(grant) });
    for (const { jti, grant, ...record } of state.accessTokens) this.accessTokens.set(jti, { ...record, grant: grantAt(grant) });
    for (const user of state.users ?? []) this.users.set(user.id, user);
    for (const { clientId, userId, connections } of state.connections) {
      this.connections.set(`${clientId} ${userId ?? SANDBOX_USER.id}`, new Map(connections.map((c) => [c.tenantId, c])));
    }
  }

  private issue(grant: Grant, issuer: string): TokenResponse {
    const user = this.users.get(userOf(grant)) ?? SANDBOX_USER;
    const now = this.clock.now();
    const nowSeconds = Math.floor(now / 1000);
    const jti = randomBytes(16).toString('hex').toUpperCase();
    const expiresAt = now + this.config.accessTokenTtlMs;
    const scopes = grant.scope.split(' ').filter((s) => s !== '');
    const accessToken = this.signer.sign({
      nbf: nowSeconds,
      exp: Math.floor(expiresAt / 1000),
      iss: issuer,
      aud: `${issuer}/resources`,
      client_id: grant.clientId,
      sub: user.id,
      auth_time: nowSeconds,
      xero_userid: user.id,
      global_session_id: grant.authEventId.replace(/-/g, ''),
      sid: grant.authEventId.replace(/-/g, ''),
      jti,
      authentication_event_id: grant.authEventId,
      scope: scopes,
    });
    this.accessTokens.set(jti, { grant, expiresAt, revoked: false });
    const response: TokenResponse = {
      access_token: accessToken,
      expires_in: Math.floor(this.config.accessTokenTtlMs / 1000),
      token_type: 'Bearer',
      scope: grant.scope,
    };
    if (scopes.includes('openid')) {
      // Stamped with real time: client libraries check iat/exp against their own clock, not the sandbox's.
      const realNow = Math.floor(Date.now() / 1000);
      response.id_token = this.signer.sign({
        nbf: realNow,
        exp: realNow + 300,
        iss: issuer,
        aud: grant.clientId,
        iat: realNow,
        at_hash: JwtSigner.accessTokenHash(accessToken),
        sid: grant.authEventId.replace(/-/g, ''),
        sub: user.id,
        auth_time: realNow,
        xero_userid: user.id,
        global_session_id: grant.authEventId.replace(/-/g, ''),
        ...(grant.nonce ? { nonce: grant.nonce } : {}),
        ...(scopes.includes('email') ? { email: user.email } : {}),
        ...(scopes.includes('profile') ? { preferred_username: user.email, given_name: user.givenName, family_name: user.familyName, name: `${user.givenName} ${user.familyName}` } : {}),
      });
    }
    if (scopes.includes('offline_access')) {
      const refreshToken = randomBytes(32).toString('hex');
      this.refreshTokens.set(refreshToken, { grant, expiresAt: now + this.config.refreshTokenIdleTtlMs, revoked: false });
      response.refresh_token = refreshToken;
    }
    return response;
  }
}

/** Grants from state files written before there were several users belong to the default user. */
const userOf = (grant: Grant): string => grant.userId ?? SANDBOX_USER.id;
