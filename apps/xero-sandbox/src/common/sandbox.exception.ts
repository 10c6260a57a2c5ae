/**
 * Every failure the sandbox reports carries a string code; the exception filter alone decides the
 * HTTP status and the body shape (Xero's accounting, projects, identity or OAuth shapes).
 */
export type SandboxErrorCode =
  | 'UNAUTHENTICATED'
  | 'TOKEN_EXPIRED'
  | 'TENANT_FORBIDDEN'
  | 'SCOPE_MISSING'
  | 'NOT_FOUND'
  | 'VALIDATION'
  | 'BAD_REQUEST'
  | 'IDEMPOTENCY_CONFLICT'
  | 'RATE_LIMITED'
  | 'INJECTED_FAULT'
  | 'OAUTH'
  | 'TEST_API';

export interface ValidationElement {
  [field: string]: unknown;
  ValidationErrors: { Message: string }[];
}

export type RateLimitProblem = 'minute' | 'concurrent' | 'daily' | 'appminute';

export class SandboxException extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
    readonly details: {
      elements?: ValidationElement[];
      oauthError?: string;
      oauthStatus?: number;
      faultStatus?: number;
      rateLimitProblem?: RateLimitProblem;
      retryAfterSeconds?: number;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = 'SandboxException';
  }

  static validation(elements: ValidationElement[]): SandboxException {
    return new SandboxException('VALIDATION', 'A validation exception occurred', { elements });
  }

  static notFound(what = 'The resource you\'re looking for cannot be found'): SandboxException {
    return new SandboxException('NOT_FOUND', what);
  }

  static badRequest(message: string): SandboxException {
    return new SandboxException('BAD_REQUEST', message);
  }

  static oauth(error: string, description?: string, status = 400): SandboxException {
    return new SandboxException('OAUTH', description ?? error, { oauthError: error, oauthStatus: status });
  }

  static testApi(message: string): SandboxException {
    return new SandboxException('TEST_API', message);
  }
}
