import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsConfig } from '../config/connections.config';
import { XeroIdentityErrorCode, XeroIdentityException } from './xero-identity.exception';

/** Xero's token response (RFC 6749 5.1). */
export interface XeroTokenSet {
  accessToken: string;
  refreshToken: string;
  /** Seconds. */
  expiresIn: number;
  scope: string;
}

/** One organisation connection, as Xero's GET /connections lists it. */
export interface XeroTenantConnection {
  id: string;
  authEventId?: string;
  tenantId: string;
  tenantType: string;
  tenantName: string;
}

/**
 * Xero's identity endpoints besides the code exchange (which goes through passport-oauth2):
 * refresh, revocation, and the connections list. Every call has a timeout; a call with no answer
 * is reported as XERO_UNAVAILABLE, because its outcome at Xero is unknown.
 */
@Injectable()
export class XeroIdentityClient {
  constructor(@Inject(ConnectionsConfig) private readonly config: ConnectionsConfig) {}

  /** The refresh_token grant; Xero rotates the refresh token and returns a new pair. */
  async refresh(refreshToken: string): Promise<XeroTokenSet> {
    const response = await this.call('token refresh', this.config.XERO_TOKEN_URL, {
      method: 'POST',
      headers: { authorization: this.basicAuth(), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    });
    const body = await readJson(response);
    if (!response.ok) throw this.oauthFailure('token refresh', response.status, body);
    return tokenSetFrom(body);
  }

  /** RFC 7009 revocation of a refresh token (ends its whole grant at Xero). */
  async revoke(refreshToken: string): Promise<void> {
    const response = await this.call('token revocation', this.config.XERO_REVOCATION_URL, {
      method: 'POST',
      headers: { authorization: this.basicAuth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token' }).toString(),
    });
    if (!response.ok) throw this.oauthFailure('token revocation', response.status, await readJson(response));
  }

  /** The organisations this grant (or all the user's grants, without authEventId) is connected to. */
  async listConnections(accessToken: string, authEventId?: string): Promise<XeroTenantConnection[]> {
    const url = new URL(`${this.apiBase()}/connections`);
    if (authEventId) url.searchParams.set('authEventId', authEventId);
    const response = await this.call('connections list', url.toString(), {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
    const body = await readJson(response);
    if (!response.ok) throw this.apiFailure('connections list', response.status);
    if (!Array.isArray(body)) throw new XeroIdentityException(XeroIdentityErrorCode.Unavailable, 'Xero answered the connections list with something other than a list');
    return body.filter(isTenantConnection).map((c) => ({ ...c, tenantId: c.tenantId.toLowerCase(), id: c.id.toLowerCase(), authEventId: c.authEventId?.toLowerCase() }));
  }

  /** Removes one organisation connection at Xero; an already removed one counts as done. */
  async deleteConnection(accessToken: string, xeroConnectionId: string): Promise<void> {
    const response = await this.call('connection removal', `${this.apiBase()}/connections/${encodeURIComponent(xeroConnectionId)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok && response.status !== 404) throw this.apiFailure('connection removal', response.status);
  }

  private async call(what: string, url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(this.config.XERO_HTTP_TIMEOUT_MS) });
    } catch (error) {
      const name = (error as { name?: string }).name;
      const reason = name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${this.config.XERO_HTTP_TIMEOUT_MS} ms` : 'the connection failed';
      throw new XeroIdentityException(XeroIdentityErrorCode.Unavailable, `Xero ${what}: ${reason}`);
    }
  }

  private oauthFailure(what: string, status: number, body: Record<string, unknown> | undefined): XeroIdentityException {
    const error = typeof body?.['error'] === 'string' ? body['error'] : undefined;
    if (status >= 500 || status === 429) return new XeroIdentityException(XeroIdentityErrorCode.Unavailable, `Xero ${what} answered ${status}`, error, status);
    if (error === 'invalid_grant') return new XeroIdentityException(XeroIdentityErrorCode.InvalidGrant, `Xero ${what}: invalid_grant`, error, status);
    return new XeroIdentityException(XeroIdentityErrorCode.Rejected, `Xero ${what} answered ${status}${error ? ` (${error})` : ''}`, error, status);
  }

  private apiFailure(what: string, status: number): XeroIdentityException {
    if (status >= 500 || status === 429) return new XeroIdentityException(XeroIdentityErrorCode.Unavailable, `Xero ${what} answered ${status}`, undefined, status);
    return new XeroIdentityException(XeroIdentityErrorCode.Rejected, `Xero ${what} answered ${status}`, undefined, status);
  }

  private basicAuth(): string {
    // RFC 6749 2.3.1: each part form-encoded before base64.
    const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
    return `Basic ${Buffer.from(`${encode(this.config.XERO_CLIENT_ID)}:${encode(this.config.XERO_CLIENT_SECRET)}`).toString('base64')}`;
  }

  private apiBase(): string {
    return this.config.XERO_API_BASE_URL.replace(/\/+$/, '');
  }
}

async function readJson(response: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = await response.json();
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a token response; a 200 without the expected fields is treated as no answer. */
export function tokenSetFrom(body: Record<string, unknown> | undefined): XeroTokenSet {
  const accessToken = body?.['access_token'];
  const refreshToken = body?.['refresh_token'];
  const expiresIn = Number(body?.['expires_in']);
  if (typeof accessToken !== 'string' || accessToken === '' || typeof refreshToken !== 'string' || refreshToken === '' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new XeroIdentityException(XeroIdentityErrorCode.Unavailable, 'Xero answered the token request without an access token, refresh token and expiry');
  }
  return { accessToken, refreshToken, expiresIn, scope: typeof body?.['scope'] === 'string' ? (body['scope'] as string) : '' };
}

function isTenantConnection(value: unknown): value is XeroTenantConnection {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return typeof c['id'] === 'string' && typeof c['tenantId'] === 'string' && typeof c['tenantName'] === 'string' && c['tenantType'] === 'ORGANISATION';
}
