import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { baseUrlOf } from '../common/request-context';
import { SandboxException } from '../common/sandbox.exception';
import { SandboxExceptionFilter } from '../common/sandbox-exception.filter';
import { SANDBOX_CONFIG } from '../config/config.tokens';
import { SandboxConfig } from '../config/sandbox-config';
import { OrganisationsService } from '../organisations/organisations.service';
import { renderAuthorizePage, renderErrorPage } from './authorize-page';
import { ClientsService } from './clients.service';
import { JwtSigner } from './jwt-signer.service';
import { ClientCredentials, OAuthService } from './oauth.service';
import { SUPPORTED_SCOPES } from './scopes';

type Params = Record<string, string | undefined>;

const AUTHORIZE_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method'];

/** Client credentials from HTTP Basic (RFC 6749 2.3.1, form-encoded parts) or from the body. */
function credentialsOf(authorization: string | undefined, body: Params): ClientCredentials {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw SandboxException.oauth('invalid_client', undefined, 401);
    const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
  }
  return { clientId: body['client_id'], clientSecret: body['client_secret'] };
}

/** identity.xero.com and login.xero.com: discovery, consent, token, revocation, userinfo. */
@Controller()
@UseFilters(SandboxExceptionFilter)
export class IdentityController {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly oauth: OAuthService,
    private readonly clients: ClientsService,
    private readonly organisations: OrganisationsService,
    private readonly signer: JwtSigner,
  ) {}

  @Get('.well-known/openid-configuration')
  discovery(@Req() req: Request): Record<string, unknown> {
    const base = baseUrlOf(req, this.config.publicUrl);
    return {
      issuer: base,
      authorization_endpoint: `${base}/identity/connect/authorize`,
      token_endpoint: `${base}/connect/token`,
      userinfo_endpoint: `${base}/connect/userinfo`,
      revocation_endpoint: `${base}/connect/revocation`,
      jwks_uri: `${base}/.well-known/openid-configuration/jwks`,
      scopes_supported: SUPPORTED_SCOPES,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      code_challenge_methods_supported: ['S256'],
      claims_supported: ['sub', 'xero_userid', 'email', 'given_name', 'family_name', 'name', 'preferred_username', 'global_session_id', 'sid', 'nonce', 'at_hash'],
    };
  }

  @Get('.well-known/openid-configuration/jwks')
  jwks(): Record<string, unknown> {
    return this.signer.jwks();
  }

  @Get('identity/connect/authorize')
  authorizePage(@Query() query: Params, @Res() res: Response): void {
    const checked = this.checkAuthorizeRequest(query, res);
    if (!checked) return;
    const autoApprove = query['sandbox_auto_approve'];
    if (autoApprove !== undefined) {
      if (autoApprove === 'deny') return this.redirectWithError(res, checked.redirectUri, 'access_denied', query['state']);
      const tenantIds = autoApprove === 'all' ? this.organisations.list().map((o) => o.tenantId) : autoApprove.split(',').map((t) => t.trim()).filter((t) => t !== '');
      // sandbox_user names the Xero user who consents (the default user when absent).
      return this.approve(res, query, tenantIds, query['sandbox_user']);
    }
    const params = Object.fromEntries(AUTHORIZE_PARAMS.filter((p) => query[p] !== undefined).map((p) => [p, query[p] as string]));
    res
      .status(200)
      .type('html')
      .send(renderAuthorizePage({ clientId: checked.clientId, scope: query['scope'] ?? '', params, organisations: this.organisations.list(), users: this.oauth.listUsers() }));
  }

  @Post('identity/connect/authorize')
  authorizeDecision(@Body() body: Record<string, string | string[] | undefined>, @Res() res: Response): void {
    const params: Params = Object.fromEntries(AUTHORIZE_PARAMS.map((p) => [p, typeof body[p] === 'string' ? (body[p] as string) : undefined]));
    const checked = this.checkAuthorizeRequest(params, res);
    if (!checked) return;
    if (body['decision'] !== 'allow') return this.redirectWithError(res, checked.redirectUri, 'access_denied', params['state']);
    const tenants = body['tenant'];
    const user = typeof body['user'] === 'string' ? body['user'] : undefined;
    this.approve(res, params, Array.isArray(tenants) ? tenants : tenants ? [tenants] : [], user);
  }

  @Post('connect/token')
  @HttpCode(200)
  token(@Headers('authorization') authorization: string | undefined, @Body() body: Params, @Req() req: Request, @Res({ passthrough: true }) res: Response): unknown {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    const credentials = credentialsOf(authorization, body ?? {});
    const issuer = baseUrlOf(req, this.config.publicUrl);
    switch (body?.['grant_type']) {
      case 'authorization_code':
        return this.oauth.exchangeCode(credentials, { code: body['code'], redirectUri: body['redirect_uri'], codeVerifier: body['code_verifier'] }, issuer);
      case 'refresh_token':
        return this.oauth.refresh(credentials, body['refresh_token'], issuer);
      case undefined:
        throw SandboxException.oauth('invalid_request', 'grant_type is required');
      default:
        throw SandboxException.oauth('unsupported_grant_type');
    }
  }

  @Post('connect/revocation')
  @HttpCode(200)
  revoke(@Headers('authorization') authorization: string | undefined, @Body() body: Params): Record<string, never> {
    this.oauth.revoke(credentialsOf(authorization, body ?? {}), body?.['token']);
    return {};
  }

  @Get('connect/userinfo')
  userInfo(@Headers('authorization') authorization: string | undefined): Record<string, unknown> {
    return this.oauth.userInfo(this.oauth.authenticate(authorization));
  }

  /** Client and redirect URI problems are shown, never redirected (RFC 6749 4.1.2.1); the rest go back to the client. */
  private checkAuthorizeRequest(query: Params, res: Response): { clientId: string; redirectUri: string } | undefined {
    const client = this.clients.find(query['client_id']);
    if (!client) {
      res.status(400).type('html').send(renderErrorPage(`Unknown client_id "${query['client_id'] ?? ''}"`));
      return undefined;
    }
    const redirectUri = query['redirect_uri'];
    if (!redirectUri || !this.clients.redirectAllowed(client, redirectUri)) {
      res.status(400).type('html').send(renderErrorPage(`redirect_uri "${redirectUri ?? ''}" is not registered for this client`));
      return undefined;
    }
    const fail = (error: string, description: string) => {
      this.redirectWithError(res, redirectUri, error, query['state'], description);
      return undefined;
    };
    if (query['response_type'] !== 'code') return fail('unsupported_response_type', 'response_type must be code');
    if (!query['scope']) return fail('invalid_scope', 'scope is required');
    if (query['code_challenge'] !== undefined && query['code_challenge_method'] !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (query['code_challenge'] === undefined && client.clientSecret === undefined) return fail('invalid_request', 'code_challenge is required for this client');
    return { clientId: client.clientId, redirectUri };
  }

  private approve(res: Response, params: Params, tenantIds: string[], userId?: string): void {
    const redirectUri = params['redirect_uri'] as string;
    let code: string;
    try {
      code = this.oauth.approve({
        clientId: params['client_id'] as string,
        redirectUri,
        scope: params['scope'] as string,
        tenantIds: tenantIds.map((t) => t.toLowerCase()),
        nonce: params['nonce'],
        codeChallenge: params['code_challenge'],
        userId,
      });
    } catch (error) {
      if (error instanceof SandboxException) return this.redirectWithError(res, redirectUri, 'access_denied', params['state'], error.message);
      throw error;
    }
    const url = new URL(redirectUri);
    url.searchParams.set('code', code);
    url.searchParams.set('scope', params['scope'] as string);
    if (params['state'] !== undefined) url.searchParams.set('state', params['state']);
    res.redirect(302, url.toString());
  }

  private redirectWithError(res: Response, redirectUri: string, error: string, state?: string, description?: string): void {
    const url = new URL(redirectUri);
    url.searchParams.set('error', error);
    if (description) url.searchParams.set('error_description', description);
    if (state !== undefined) url.searchParams.set('state', state);
    res.redirect(302, url.toString());
  }
}
