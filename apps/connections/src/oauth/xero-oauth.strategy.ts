import { AuthUser } from '@ledgerline/auth';
import { Inject, Injectable } from '@nestjs/common';
import OAuth2Strategy, { InternalOAuthError, StateStore, TokenError } from 'passport-oauth2';
import { ConnectionsConfig } from '../config/connections.config';
import { VaultException } from '../vault/vault.exception';
import { XeroIdentityErrorCode, XeroIdentityException } from './xero-identity.exception';
import { tokenSetFrom, XeroTokenSet } from './xero-identity.client';
import { ConnectAttempt, OAuthStateStore, VerifiedAttempt } from './oauth-state.store';
import { OAuthErrorCode, OAuthException } from './oauth.exception';

/** The request passport-oauth2 reads: the callback's query, and the authenticated caller for the state store. */
export interface OAuthRequest {
  query: Record<string, unknown>;
  user: AuthUser;
}

/** How one strategy run ended (passport's redirect / success / fail / error actions). */
type Outcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; tokens: XeroTokenSet; attempt: VerifiedAttempt }
  | { kind: 'fail'; message?: string };

/**
 * Xero's authorization-code flow through passport-oauth2: S256 PKCE and the state both come from the
 * strategy and live in OAuthStateStore (Postgres), and the code exchange is the strategy's own.
 * It is driven directly rather than through passport middleware, because the endpoints are JSON APIs
 * behind the caller's JWT, not browser redirects with a session.
 */
@Injectable()
export class XeroOAuthStrategy extends OAuth2Strategy {
  private readonly timeoutMs: number;

  constructor(@Inject(ConnectionsConfig) config: ConnectionsConfig, store: OAuthStateStore) {
    super(
      {
        authorizationURL: config.XERO_AUTHORIZE_URL,
        tokenURL: config.XERO_TOKEN_URL,
        clientID: config.XERO_CLIENT_ID,
        clientSecret: config.XERO_CLIENT_SECRET,
        callbackURL: config.XERO_REDIRECT_URI,
        scope: config.XERO_SCOPES.split(' '),
        pkce: true,
        // The PKCE form of the store interface (store with 5 arguments) is not in the type definitions.
        store: store as unknown as StateStore,
        skipUserProfile: true,
        passReqToCallback: true,
      },
      (_req: unknown, accessToken: string, refreshToken: string, results: Record<string, unknown>, _profile: unknown, done: OAuth2Strategy.VerifyCallback) => {
        try {
          done(null, tokenSetFrom({ ...results, access_token: accessToken, refresh_token: refreshToken }) as unknown as Express.User);
        } catch (error) {
          done(error);
        }
      },
    );
    this.name = 'xero';
    // State verification and the exchange together: allow for the database as well as Xero.
    this.timeoutMs = config.XERO_HTTP_TIMEOUT_MS + 5_000;
  }

  /** Starts an attempt: the URL to send the user to, with state and S256 code challenge. */
  async authorizationUrl(attempt: ConnectAttempt, user: AuthUser): Promise<string> {
    const outcome = await this.run({ query: {}, user }, { state: attempt });
    if (outcome.kind !== 'redirect') throw new Error('the OAuth2 strategy did not produce an authorization URL');
    return outcome.url;
  }

  /** Completes an attempt: checks and consumes the state, then exchanges the code (with the PKCE verifier). */
  async exchange(query: { code: string; state?: string }, user: AuthUser): Promise<{ tokens: XeroTokenSet; attempt: VerifiedAttempt }> {
    let timer: NodeJS.Timeout | undefined;
    // passport-oauth2's HTTP client has no timeout of its own.
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new XeroIdentityException(XeroIdentityErrorCode.Unavailable, `Xero token exchange: no answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    const outcome = await Promise.race([this.run({ query: { code: query.code, state: query.state }, user }, {}), timeout]).finally(() => clearTimeout(timer));
    if (outcome.kind === 'success') return outcome;
    throw new OAuthException(OAuthErrorCode.CodeExchangeFailed, 'Xero did not complete the authorization');
  }

  private run(req: OAuthRequest, options: Record<string, unknown>): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      // Passport's own pattern: a per-request object whose actions settle this run.
      const run = Object.create(this) as this & {
        redirect(url: string): void;
        success(user: unknown, info?: object): void;
        fail(challenge?: unknown): void;
        error(error: unknown): void;
        pass(): void;
      };
      run.redirect = (url) => resolve({ kind: 'redirect', url });
      run.success = (tokens, info) => {
        const attempt = (info as { state?: VerifiedAttempt } | undefined)?.state;
        if (!attempt) return reject(new Error('the OAuth2 strategy succeeded without a verified state'));
        resolve({ kind: 'success', tokens: tokens as XeroTokenSet, attempt });
      };
      run.fail = (challenge) => resolve({ kind: 'fail', message: typeof challenge === 'object' && challenge !== null ? String((challenge as { message?: unknown }).message ?? '') : undefined });
      run.error = (error) => reject(translate(error));
      run.pass = () => reject(new Error('the OAuth2 strategy passed'));
      run.authenticate(req as never, options);
    });
  }
}

/** passport-oauth2's errors, as this service's codes; no response body or secret is carried over. */
function translate(error: unknown): Error {
  if (error instanceof OAuthException || error instanceof XeroIdentityException) return error;
  if (error instanceof TokenError) {
    return new OAuthException(OAuthErrorCode.CodeExchangeFailed, `Xero refused the authorization code (${error.code})`);
  }
  if (error instanceof InternalOAuthError) {
    const status = (error.oauthError as { statusCode?: number } | undefined)?.statusCode;
    if (status === undefined || status >= 500 || status === 429) {
      return new XeroIdentityException(XeroIdentityErrorCode.Unavailable, `Xero token exchange: ${status ? `answered ${status}` : 'the connection failed'}`, undefined, status);
    }
    return new OAuthException(OAuthErrorCode.CodeExchangeFailed, `Xero refused the authorization code (HTTP ${status})`);
  }
  if (error instanceof VaultException) return error;
  return new XeroIdentityException(XeroIdentityErrorCode.Unavailable, 'Xero token exchange failed');
}
