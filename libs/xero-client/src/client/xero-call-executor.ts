import { XeroClientConfig } from '../config/xero-client.config';
import { lowerCaseHeaders, mapXeroError, readXeroFailure } from '../errors/map-xero-error';
import { XeroClientException } from '../errors/xero-client.exception';
import { XeroErrorCode } from '../errors/xero-error-code';
import { BudgetObservation, RequestBudget } from '../budget/request-budget';
import { fullJitterDelay, sleep } from '../retry/backoff';
import { AccessTokenProvider } from '../tokens/access-token-provider';
import { CachingAccessTokenProvider } from '../tokens/caching-access-token-provider';
import { accessTokenFingerprint } from '../tokens/token-fingerprint';
import { xeroBudgetWait, xeroCalls, xeroRateLimited } from '../metrics/xero-metrics';
import { countXeroCall } from './call-meter';
import { XeroApis, XeroApisForAttempt, createXeroApis } from './xero-apis';

export interface XeroCallOptions {
  /** For logs: the xero-node operation. */
  operation: string;
  /** Writes are repeated only when they carry an idempotency key. */
  write: boolean;
  idempotencyKey?: string;
}

export interface XeroCallContext {
  apis: XeroApis;
  tenantId: string;
}

export interface XeroClientLogger {
  warn(message: string, context?: Record<string, unknown>): void;
}

export type XeroApiCall<T> = (context: XeroCallContext) => Promise<{ response: { headers?: unknown }; body: T }>;

export interface XeroCallExecutorDeps {
  config: XeroClientConfig;
  tokens: AccessTokenProvider;
  budget: RequestBudget;
  logger?: XeroClientLogger;
  random?: () => number;
  /** Tests replace xero-node; everything else goes through the real one. */
  createApis?: (apiBaseUrl: string, accessToken: string, timeoutMs: number) => XeroApisForAttempt;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs one logical Xero call: token, shared-budget permit, the xero-node request with a deadline, then
 * retries by policy. Reads are always repeatable; writes only with an Idempotency-Key; 429s and a single
 * 401 are repeated for any call because Xero rejected the request before acting on it. After a 401 the
 * rejected token is reported to the token provider, which drops it and asks the connections service for a
 * fresh one (refreshed early if Xero's rejection is news to it). A 403 AuthenticationUnsuccessful (Xero
 * knows the token but the organisation is not connected to it) is reported once the same way, as a refused
 * tenant: the connections service checks Xero's connections list, and if the organisation is gone ends the
 * connection, so this and later calls fail with NOT_CONNECTED (which a caller can park until reconnect).
 */
export class XeroCallExecutor {
  private readonly tokens: CachingAccessTokenProvider;
  private readonly createApis: NonNullable<XeroCallExecutorDeps['createApis']>;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: XeroCallExecutorDeps) {
    this.tokens =
      deps.tokens instanceof CachingAccessTokenProvider
        ? deps.tokens
        : new CachingAccessTokenProvider(deps.tokens, { refreshSkewMs: deps.config.tokenRefreshSkewMs });
    this.createApis = deps.createApis ?? createXeroApis;
    this.random = deps.random ?? Math.random;
    this.sleep = deps.sleep ?? sleep;
  }

  async run<T>(companyId: string, options: XeroCallOptions, call: XeroApiCall<T>): Promise<T> {
    const { retry } = this.deps.config;
    const repeatable = !options.write || Boolean(options.idempotencyKey);
    let attempt = 0;
    let rejected: RejectedToken | undefined;
    let reportedRejection = false;
    for (;;) {
      attempt += 1;
      const outcome = await this.attempt(companyId, options.operation, call, rejected);
      if (outcome.ok) return outcome.body;
      const { error, refusal } = outcome;

      if (refusal !== undefined && !reportedRejection) {
        // Xero can refuse a token before its stated expiry (app revoked, password changed, organisation
        // disconnected): report it so the connections service refreshes, and try once more with the new one.
        // A refused organisation is reported likewise, so the service finds out whether it is still connected.
        reportedRejection = true;
        rejected = { ...refusal, error };
        this.deps.logger?.warn(
          refusal.kind === 'token' ? 'Xero rejected the access token; asking for a fresh one' : 'Xero refused the organisation to the access token; asking whether it is still connected',
          { operation: options.operation, companyId, tokenFingerprint: accessTokenFingerprint(refusal.token) },
        );
        attempt -= 1;
        continue;
      }
      const xeroRateLimited = error.code === XeroErrorCode.RateLimited && error.status === 429;
      const mayRepeat = error.retriable && (repeatable || xeroRateLimited) && attempt < retry.maxAttempts;
      // Our own budget giving up (RATE_LIMITED without a status) already waited as long as allowed.
      if (!mayRepeat || (error.code === XeroErrorCode.RateLimited && !xeroRateLimited)) throw error;

      const delayMs = xeroRateLimited && error.retryAfterMs !== undefined
        ? error.retryAfterMs + Math.floor(this.random() * 250)
        : fullJitterDelay(attempt - 1, retry, this.random);
      this.deps.logger?.warn('Retrying Xero call', {
        operation: options.operation,
        companyId,
        code: error.code,
        status: error.status,
        attempt,
        delayMs,
      });
      await this.sleep(delayMs);
    }
  }

  private async attempt<T>(
    companyId: string,
    operation: string,
    call: XeroApiCall<T>,
    rejected?: RejectedToken,
  ): Promise<{ ok: true; body: T } | { ok: false; error: XeroClientException; refusal?: Refusal }> {
    let token;
    try {
      const report = rejected === undefined ? undefined : rejected.kind === 'token' ? { rejected: rejected.token } : { refusedTenant: rejected.token };
      token = await this.tokens.getAccessToken(companyId, report);
    } catch (error) {
      return { ok: false, error: asClientError(error) };
    }
    // No newer token yet (the connections service refreshes a rejected token at most so often): Xero would
    // refuse it again, so spare the call.
    if (rejected && token.accessToken === rejected.token) return { ok: false, error: rejected.error };
    let permit;
    const waiting = xeroBudgetWait.startTimer();
    try {
      permit = await this.deps.budget.acquire(token.tenantId);
    } catch (error) {
      return { ok: false, error: asClientError(error) };
    } finally {
      waiting();
    }
    const attemptApis = this.createApis(this.deps.config.apiBaseUrl, token.accessToken, this.deps.config.requestTimeoutMs);
    let observation: BudgetObservation = {};
    try {
      const result = await call({ apis: attemptApis.apis, tenantId: token.tenantId });
      observation = { headers: plainHeaders(result.response?.headers) };
      const status = responseStatus(result.response) ?? 200;
      countXeroCall(status);
      xeroCalls.inc({ operation, status: String(status) });
      return { ok: true, body: result.body };
    } catch (thrown) {
      const error = mapXeroError(thrown, { timedOut: attemptApis.timedOut() });
      countXeroCall(error.status);
      xeroCalls.inc({ operation, status: error.status === undefined ? 'none' : String(error.status) });
      if (error.status === 429) xeroRateLimited.inc({ operation });
      const failure = readXeroFailure(thrown);
      observation = {
        headers: failure?.headers,
        rateLimited: error.code === XeroErrorCode.RateLimited ? { retryAfterMs: error.retryAfterMs, limit: error.limit } : undefined,
      };
      return { ok: false, error, refusal: refusalOf(error, token.accessToken) };
    } finally {
      attemptApis.dispose();
      await permit.release(observation);
    }
  }
}

/** A token Xero refused: itself (401), or the organisation it was sent for (403 AuthenticationUnsuccessful). */
interface Refusal {
  kind: 'token' | 'tenant';
  token: string;
}

/** A refusal and Xero's answer to it. */
interface RejectedToken extends Refusal {
  error: XeroClientException;
}

/**
 * Xero answers 403 AuthenticationUnsuccessful when the token is good but the Xero-tenant-id is not (or no
 * longer) connected to it; other 403s (a role, a feature) say nothing about the connection.
 */
function refusalOf(error: XeroClientException, accessToken: string): Refusal | undefined {
  if (error.code === XeroErrorCode.Unauthorised) return { kind: 'token', token: accessToken };
  if (error.code === XeroErrorCode.Forbidden && error.status === 403 && error.messages.includes('AuthenticationUnsuccessful')) return { kind: 'tenant', token: accessToken };
  return undefined;
}

function plainHeaders(headers: unknown): Record<string, string> {
  if (headers && typeof (headers as { toJSON?: unknown }).toJSON === 'function') {
    return lowerCaseHeaders((headers as { toJSON(): unknown }).toJSON());
  }
  return lowerCaseHeaders(headers);
}

function responseStatus(response: unknown): number | undefined {
  const status = (response as { status?: unknown; statusCode?: unknown } | undefined);
  const value = status?.status ?? status?.statusCode;
  return typeof value === 'number' ? value : undefined;
}

function asClientError(error: unknown): XeroClientException {
  return error instanceof XeroClientException ? error : mapXeroError(error);
}
