import { context, propagation } from '@opentelemetry/api';
import { XeroClientException } from '../errors/xero-client.exception';
import { XeroErrorCode } from '../errors/xero-error-code';
import { AccessTokenProvider, AccessTokenRequest, XeroAccessToken } from './access-token-provider';
import { accessTokenFingerprint } from './token-fingerprint';

/**
 * Node's fetch is not covered by the HTTP instrumentation, so the trace is handed on by hand: the connections
 * service's span for this request then belongs to the caller's trace. Adds nothing when nothing is traced.
 */
function withTraceHeaders(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

export interface HttpAccessTokenProviderOptions {
  connectionsInternalUrl: string;
  internalApiToken: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * Asks the connections service for a company's current access token. A token Xero refused is reported by
 * its fingerprint (`?rejected=`), never by value, so the service can refresh early; a token Xero refused the
 * organisation for, as `?refusedTenant=`, so the service checks Xero's connections list.
 */
export class HttpAccessTokenProvider implements AccessTokenProvider {
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: HttpAccessTokenProviderOptions) {
    this.fetchFn = options.fetch ?? fetch;
  }

  async getAccessToken(companyId: string, request: AccessTokenRequest = {}): Promise<XeroAccessToken> {
    const query =
      request.rejected !== undefined
        ? `?rejected=${accessTokenFingerprint(request.rejected)}`
        : request.refusedTenant !== undefined
          ? `?refusedTenant=${accessTokenFingerprint(request.refusedTenant)}`
          : '';
    const url = `${this.options.connectionsInternalUrl}/internal/v1/companies/${encodeURIComponent(companyId)}/access-token${query}`;
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        headers: withTraceHeaders({ authorization: `Bearer ${this.options.internalApiToken}`, accept: 'application/json' }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      // Abort errors are DOMExceptions, which are not always `instanceof Error` across realms: check the name.
      const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw new XeroClientException({
        code: timedOut ? XeroErrorCode.Timeout : XeroErrorCode.Network,
        retriable: true,
        message: timedOut ? 'The connections service did not answer in time' : 'Could not reach the connections service',
      });
    }
    const body = await readJson(response);
    if (response.status === 200) return parseToken(body);
    const code = typeof body?.['code'] === 'string' ? body['code'] : undefined;
    if (response.status === 404 || response.status === 409) {
      const reason = code ?? (response.status === 404 ? 'CONNECTION_NOT_FOUND' : 'CONNECTION_UNUSABLE');
      throw new XeroClientException({
        code: XeroErrorCode.NotConnected,
        retriable: false,
        status: response.status,
        reason,
        message: `Company ${companyId} has no usable Xero connection (${reason})`,
      });
    }
    if (response.status === 401 || response.status === 403) {
      throw new XeroClientException({
        code: XeroErrorCode.Unauthorised,
        retriable: false,
        status: response.status,
        message: 'The connections service refused INTERNAL_API_TOKEN',
      });
    }
    throw new XeroClientException({
      code: XeroErrorCode.Upstream,
      retriable: response.status >= 500 || response.status === 429,
      status: response.status,
      message: `The connections service answered ${response.status}`,
    });
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

function parseToken(body: Record<string, unknown> | undefined): XeroAccessToken {
  const accessToken = body?.['accessToken'];
  const tenantId = body?.['tenantId'];
  const expiresAt = typeof body?.['expiresAt'] === 'string' ? new Date(body['expiresAt']) : undefined;
  if (typeof accessToken !== 'string' || accessToken === '' || typeof tenantId !== 'string' || tenantId === '' || !expiresAt || Number.isNaN(expiresAt.getTime())) {
    // The body holds a credential: describe what is wrong without echoing it.
    throw new XeroClientException({
      code: XeroErrorCode.Upstream,
      retriable: false,
      status: 200,
      message: 'The connections service returned a malformed access token response',
    });
  }
  return { accessToken, tenantId, expiresAt };
}
