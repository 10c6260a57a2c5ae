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

export const SANDBOX_USER = {
  id: '5d8a3c4e-1b2f-4a6d-9e7c-0f1a2b3c4d5e',
  email: 'sandbox.user@ledgerline.test',
  givenName: 'Sandbox',
  familyName: 'User',
};

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
  expiresAt: number;
  used: boolean;
}

interface Grant {
  authEventId: string;
  clientId: string;
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
  connections: { clientId: string; connections: Connection[] }[];
}

export interface ClientCredentials {
  clientId?: string;
  clientSecret?: string;
}

/**
 * Xero identity: authorization codes, token issue and rotation, revocation, connections and bearer
 * authentication. Refresh tokens rotate on use; the previous one stays usable for the grace period
 * and returns the same new pair, so a client that lost a refresh response can recover.
 */
@Injectable()
export class OAuthService implements Persistent<IdentityState> {
  private codes = new Map<string, AuthorizationCode>();
  private refreshTokens = new Map<string, RefreshTokenRecord>();
  private accessTokens = new Map<string, AccessTokenRecord>();
  /** clientId -> tenantId -> connection (one sandbox user). */
  private connections = new Map<string, Map<string, Connection>>();

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly clock: ClockService,
    private readonly clients: ClientsService,
    private readonly organisations: OrganisationsService,
    private readonly signer: JwtSigner,
    private readonly calls: CallsService,
  ) {}

  /** The user approved: connect the chosen organisations and mint a code. */
  approve(params: { clientId: string; redirectUri: string; scope: string; tenantIds: string[]; nonce?: string; codeChallenge?: string }): string {
    const authEventId = this.connect(params.clientId, params.tenantIds);
    const code = randomBytes(32).toString('hex');
    this.codes.set(code, {
      clientId: params.clientId,
      redirectUri: params.redirectUri,
      scope: params.scope,
      nonce: params.nonce,
      codeChallenge: params.codeChallenge,
      authEventId,
      expiresAt: this.clock.now() + this.config.authorizationCodeTtlMs,
      used: false,
    });
    return code;
  }

  /** Test API shortcut: a consent and a token pair without the browser round trip. */
  issueDirectly(clientId: string, tenantIds: string[], scope: string, issuer: string): TokenResponse {
    if (!this.clients.find(clientId)) throw SandboxException.testApi(`Unknown client ${clientId}`);
    const authEventId = this.connect(clientId, tenantIds);
    return this.issue({ authEventId, clientId, scope, revoked: false, pkce: false }, issuer);
  }

  private connect(clientId: string, tenantIds: string[]): string {
    const organisations = tenantIds.map((id) => this.organisations.get(id));
    if (organisations.length === 0 || organisations.some((o) => !o)) throw SandboxException.oauth('access_denied', 'Choose at least one existing organisation');
    const authEventId = randomUUID();
    const now = identityDate(this.clock.now());
    const byTenant = this.connections.get(clientId) ?? new Map<string, Connection>();
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
    this.connections.set(clientId, byTenant);
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
    return this.issue({ authEventId: code.authEventId, clientId: client.clientId, scope: code.scope, nonce: code.nonce, revoked: false, pkce: !!code.codeChallenge }, issuer);
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

  private revokeGrant(grant: Grant): void {
    grant.revoked = true;
    const byTenant = this.connections.get(grant.clientId);
    for (const [tenantId, connection] of byTenant ?? []) {
      if (connection.authEventId === grant.authEventId) byTenant?.delete(tenantId);
    }
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
    return { clientId: record.grant.clientId, authEventId: record.grant.authEventId, tokenId: jti as string, scopes: record.grant.scope.split(' ').filter((s) => s !== '') };
  }

  hasTenant(principal: Principal, tenantId: string): boolean {
    return this.connections.get(principal.clientId)?.has(tenantId.toLowerCase()) ?? false;
  }

  listConnections(principal: Principal, authEventId?: string): Connection[] {
    const all = [...(this.connections.get(principal.clientId)?.values() ?? [])];
    return authEventId ? all.filter((c) => c.authEventId === authEventId.toLowerCase()) : all;
  }

  deleteConnection(principal: Principal, id: string): void {
    const byTenant = this.connections.get(principal.clientId);
    const connection = [...(byTenant?.values() ?? [])].find((c) => c.id === id.toLowerCase());
    if (!connection || !byTenant) throw SandboxException.notFound();
    byTenant.delete(connection.tenantId);
  }

  userInfo(principal: Principal): Record<string, unknown> {
    return {
      sub: SANDBOX_USER.id,
      xero_userid: SANDBOX_USER.id,
      email: SANDBOX_USER.email,
      given_name: SANDBOX_USER.givenName,
      family_name: SANDBOX_USER.familyName,
      name: `${SANDBOX_USER.givenName} ${SANDBOX_USER.familyName}`,
      preferred_username: SANDBOX_USER.email,
      authentication_event_id: principal.authEventId,
    };
  }

  reset(): void {
    this.codes.clear();
    this.refreshTokens.clear();
    this.accessTokens.clear();
    this.connections.clear();
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
      connections: [...this.connections].map(([clientId, byTenant]) => ({ clientId, connections: [...byTenant.values()] })),
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
    for (const { clientId, connections } of state.connections) this.connections.set(clientId, new Map(connections.map((c) => [c.tenantId, c])));
  }

  private issue(grant: Grant, issuer: string): TokenResponse {
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
      sub: SANDBOX_USER.id,
      auth_time: nowSeconds,
      xero_userid: SANDBOX_USER.id,
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
        sub: SANDBOX_USER.id,
        auth_time: realNow,
        xero_userid: SANDBOX_USER.id,
        global_session_id: grant.authEventId.replace(/-/g, ''),
        ...(grant.nonce ? { nonce: grant.nonce } : {}),
        ...(scopes.includes('email') ? { email: SANDBOX_USER.email } : {}),
        ...(scopes.includes('profile')
          ? { preferred_username: SANDBOX_USER.email, given_name: SANDBOX_USER.givenName, family_name: SANDBOX_USER.familyName, name: `${SANDBOX_USER.givenName} ${SANDBOX_USER.familyName}` }
          : {}),
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
