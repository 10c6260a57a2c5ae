import { XeroErrorCode } from './xero-error-code';

/** Messages Xero attached to one element of a batch, by its position in the request. */
export interface XeroElementError {
  index: number;
  messages: string[];
}

export interface XeroClientExceptionInit {
  code: XeroErrorCode;
  retriable: boolean;
  message: string;
  status?: number;
  messages?: string[];
  elements?: XeroElementError[];
  retryAfterMs?: number;
  /** Which Xero limit was hit (X-Rate-Limit-Problem), for RATE_LIMITED. */
  limit?: string;
  /** Why the company has no usable connection (CONNECTION_NOT_FOUND, CONNECTION_EXPIRED, CONNECTION_REVOKED). */
  reason?: string;
}

/**
 * The only error type the client throws. It deliberately carries no headers, request options or
 * tokens, so it can be logged or put on an event as it is.
 */
export class XeroClientException extends Error {
  readonly code: XeroErrorCode;
  readonly retriable: boolean;
  readonly status?: number;
  readonly messages: string[];
  readonly elements: XeroElementError[];
  readonly retryAfterMs?: number;
  readonly limit?: string;
  readonly reason?: string;

  constructor(init: XeroClientExceptionInit) {
    super(init.message);
    this.name = 'XeroClientException';
    this.code = init.code;
    this.retriable = init.retriable;
    this.status = init.status;
    this.messages = init.messages ?? [];
    this.elements = init.elements ?? [];
    this.retryAfterMs = init.retryAfterMs;
    this.limit = init.limit;
    this.reason = init.reason;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      retriable: this.retriable,
      message: this.message,
      status: this.status,
      messages: this.messages,
      elements: this.elements,
      retryAfterMs: this.retryAfterMs,
      limit: this.limit,
      reason: this.reason,
    };
  }
}

export function isXeroClientException(error: unknown): error is XeroClientException {
  return error instanceof XeroClientException;
}
