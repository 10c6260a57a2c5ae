import { XeroClientException, XeroElementError } from './xero-client.exception';
import { XeroErrorCode } from './xero-error-code';

/** What xero-node told us about a failed call, reduced to the parts we act on. */
export interface XeroFailure {
  /** 0 when no HTTP response arrived (network failure, abort, timeout). */
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface MapContext {
  /** Our own deadline fired and aborted the request. */
  timedOut?: boolean;
  now?: number;
}

/**
 * xero-node 20 rejects with `JSON.stringify({ response: { statusCode, body, headers, request }, body })`
 * when axios throws (every non-2xx status, network errors, aborts), and with `{ response, body }`
 * (an AxiosResponse, `status` not `statusCode`) if a 2xx check fails; parameter checks throw a plain Error.
 */
export function readXeroFailure(thrown: unknown): XeroFailure | undefined {
  let value: unknown = thrown;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(value) || !isRecord(value['response'])) return undefined;
  const response = value['response'];
  const statusValue = response['statusCode'] ?? response['status'];
  const status = typeof statusValue === 'number' ? statusValue : Number(statusValue ?? 0) || 0;
  const body = 'body' in response ? response['body'] : 'data' in response ? response['data'] : value['body'];
  return { status, body, headers: lowerCaseHeaders(response['headers']) };
}

export function mapXeroError(thrown: unknown, context: MapContext = {}): XeroClientException {
  if (thrown instanceof XeroClientException) return thrown;
  const failure = readXeroFailure(thrown);
  if (!failure) {
    if (context.timedOut) return timeout();
    // Not an HTTP outcome: xero-node's own argument checks, or a bug on our side. Retrying cannot help.
    const message = thrown instanceof Error ? thrown.message : 'Unexpected failure calling Xero';
    return new XeroClientException({ code: XeroErrorCode.Validation, retriable: false, message, messages: [message] });
  }
  return mapXeroFailure(failure, context);
}

export function mapXeroFailure(failure: XeroFailure, context: MapContext = {}): XeroClientException {
  const { status, body, headers } = failure;
  if (status === 0) {
    const text = typeof body === 'string' ? body : '';
    if (context.timedOut || /timeout|timed out|ETIMEDOUT|ECONNABORTED/i.test(text)) return timeout();
    return new XeroClientException({
      code: XeroErrorCode.Network,
      retriable: true,
      message: `Network failure calling Xero${text ? `: ${sanitise(text)}` : ''}`,
    });
  }
  const messages = collectMessages(body);
  const summary = messages[0];
  if (status === 429) {
    const limit = headers['x-rate-limit-problem'];
    return new XeroClientException({
      code: XeroErrorCode.RateLimited,
      retriable: true,
      status,
      message: `Xero rate limit reached${limit ? ` (${limit})` : ''}`,
      retryAfterMs: parseRetryAfter(headers['retry-after'], context.now ?? Date.now()),
      limit,
    });
  }
  if (status === 401 && messages.includes('AuthorizationUnsuccessful')) {
    // The token is fine but its scopes do not cover the call: a refreshed token has the same scopes.
    return new XeroClientException({
      code: XeroErrorCode.Forbidden,
      retriable: false,
      status,
      message: "Xero refused the call: the connection's scopes do not cover it (AuthorizationUnsuccessful); reconnect with the scopes it needs",
      // Read first by whoever reports the failure (an invoice.failed event, say); Xero's own words follow.
      messages: ["The Xero connection's scopes do not cover this call: reconnect the company with the scopes it needs", ...messages],
    });
  }
  if (status === 401) {
    return new XeroClientException({
      code: XeroErrorCode.Unauthorised,
      retriable: false,
      status,
      message: `Xero rejected the access token${summary ? `: ${summary}` : ''}`,
      messages,
    });
  }
  if (status === 403) {
    return new XeroClientException({
      code: XeroErrorCode.Forbidden,
      retriable: false,
      status,
      message: `Xero refused access${summary ? `: ${summary}` : ''}`,
      messages,
    });
  }
  if (status === 404) {
    return new XeroClientException({ code: XeroErrorCode.NotFound, retriable: false, status, message: 'Xero record not found', messages });
  }
  if (status === 408 || status === 504) {
    return timeout(status);
  }
  if (status >= 500) {
    return new XeroClientException({
      code: XeroErrorCode.Upstream,
      retriable: true,
      status,
      message: `Xero failed with ${status}${summary ? `: ${summary}` : ''}`,
      messages,
    });
  }
  const elements = collectElementErrors(body);
  return new XeroClientException({
    code: XeroErrorCode.Validation,
    retriable: false,
    status,
    message: `Xero rejected the request${summary ? `: ${summary}` : ''}`,
    messages: messages.length > 0 ? messages : [`HTTP ${status}`],
    elements,
  });
}

/** Retry-After is delta-seconds or an HTTP date; anything else means "unknown". */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Every human-readable message in a Xero error body (accounting, projects and identity shapes). */
export function collectMessages(body: unknown): string[] {
  const messages: string[] = [];
  const add = (m: unknown) => {
    if (typeof m === 'string' && m.trim() !== '' && !messages.includes(m)) messages.push(sanitise(m));
  };
  if (typeof body === 'string') {
    add(body);
    return messages;
  }
  if (!isRecord(body)) return messages;
  for (const element of elementsOf(body)) {
    for (const m of validationMessages(element)) add(m);
  }
  add(body['Message'] ?? body['message']);
  add(body['Detail'] ?? body['detail']);
  add(body['Title'] ?? body['title']);
  const modelState = body['modelState'] ?? body['ModelState'];
  if (isRecord(modelState)) {
    for (const value of Object.values(modelState)) {
      if (Array.isArray(value)) value.forEach(add);
    }
  }
  return messages;
}

/** Per-element validation messages in a summarised (400) batch response, by request position. */
export function collectElementErrors(body: unknown): XeroElementError[] {
  if (!isRecord(body)) return [];
  return elementsOf(body)
    .map((element, index) => ({ index, messages: validationMessages(element) }))
    .filter((e) => e.messages.length > 0);
}

export function validationMessages(element: unknown): string[] {
  if (!isRecord(element)) return [];
  const errors = element['ValidationErrors'] ?? element['validationErrors'];
  if (!Array.isArray(errors)) return [];
  return errors
    .map((e) => (isRecord(e) ? (e['Message'] ?? e['message']) : undefined))
    .filter((m): m is string => typeof m === 'string' && m !== '')
    .map(sanitise);
}

function elementsOf(body: Record<string, unknown>): unknown[] {
  const elements = body['Elements'] ?? body['elements'];
  return Array.isArray(elements) ? elements : [];
}

function timeout(status?: number): XeroClientException {
  return new XeroClientException({
    code: XeroErrorCode.Timeout,
    retriable: true,
    status,
    message: 'Xero did not answer in time',
  });
}

export function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isRecord(headers)) return result;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return result;
}

/** Error text from a server could echo a credential; never let one through. */
function sanitise(text: string): string {
  return text.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]').slice(0, 2000);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
