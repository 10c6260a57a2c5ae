import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { SandboxException } from './sandbox.exception';

type Family = 'accounting' | 'projects' | 'oauth' | 'identity' | 'test-api';

function familyOf(path: string): Family {
  const lower = path.toLowerCase();
  if (lower.startsWith('/api.xro/')) return 'accounting';
  if (lower.startsWith('/projects.xro/')) return 'projects';
  if (lower.startsWith('/connect/') || lower.startsWith('/identity/')) return 'oauth';
  if (lower.startsWith('/__sandbox')) return 'test-api';
  return 'identity';
}

function problem(status: number, title: string, detail: string): Record<string, unknown> {
  return { Type: null, Title: title, Status: status, Detail: detail, Instance: randomUUID(), Extensions: {} };
}

/** The one place where error codes become HTTP statuses and Xero's body shapes. */
@Catch()
export class SandboxExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(SandboxExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (res.headersSent) return;
    const family = familyOf(req.path);
    if (exception instanceof SandboxException) {
      const { status, body, headers } = this.render(exception, family);
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.status(status).json(body);
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const message = exception.message;
      res.status(status).json(family === 'test-api' ? { error: 'http_error', message } : problem(status, status === 404 ? 'NotFound' : 'Error', message));
      return;
    }
    this.logger.error({ msg: 'unhandled error', err: exception });
    res.status(500).json(problem(500, 'An error occurred', 'An error occurred in the Xero sandbox'));
  }

  private render(error: SandboxException, family: Family): { status: number; body: unknown; headers: Record<string, string> } {
    const headers = { ...(error.details.headers ?? {}) };
    switch (error.code) {
      case 'UNAUTHENTICATED':
      case 'TOKEN_EXPIRED':
        headers['WWW-Authenticate'] = error.code === 'TOKEN_EXPIRED' ? 'Bearer error="invalid_token", error_description="The access token has expired"' : 'Bearer';
        return { status: 401, body: problem(401, 'Unauthorized', error.message), headers };
      case 'SCOPE_MISSING':
        // Xero's answer when the token's scopes do not cover the call: a 401 that a refreshed token would get too.
        return { status: 401, body: problem(401, 'Unauthorized', 'AuthorizationUnsuccessful'), headers };
      case 'TENANT_FORBIDDEN':
        return { status: 403, body: problem(403, 'Forbidden', error.message), headers };
      case 'NOT_FOUND':
        return { status: 404, body: family === 'test-api' ? { error: 'not_found', message: error.message } : problem(404, 'NotFound', error.message), headers };
      case 'VALIDATION': {
        const elements = error.details.elements ?? [];
        if (family === 'projects') {
          const messages = elements.flatMap((e) => e.ValidationErrors.map((v) => v.Message));
          return { status: 400, body: { message: messages.join(' ') || error.message, modelState: { request: messages } }, headers };
        }
        if (family === 'test-api') return { status: 400, body: { error: 'validation', message: error.message, elements }, headers };
        return { status: 400, body: { ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred', Elements: elements }, headers };
      }
      case 'BAD_REQUEST':
      case 'IDEMPOTENCY_CONFLICT':
        if (family === 'projects') return { status: 400, body: { message: error.message, modelState: {} }, headers };
        return { status: 400, body: { ErrorNumber: 10, Type: 'ValidationException', Message: error.message, Elements: [] }, headers };
      case 'RATE_LIMITED':
        return { status: 429, body: problem(429, 'Too Many Requests', error.message), headers };
      case 'INJECTED_FAULT': {
        const status = error.details.faultStatus ?? 500;
        return { status, body: { ErrorNumber: status, Type: status === 503 ? 'ServiceUnavailableException' : 'UnknownErrorException', Message: error.message }, headers };
      }
      case 'OAUTH': {
        const status = error.details.oauthStatus ?? 400;
        if (status === 401) headers['WWW-Authenticate'] = 'Basic realm="identity"';
        const description = error.message !== error.details.oauthError ? { error_description: error.message } : {};
        return { status, body: { error: error.details.oauthError, ...description }, headers };
      }
      case 'TEST_API':
        return { status: 400, body: { error: 'bad_request', message: error.message }, headers };
    }
  }
}
