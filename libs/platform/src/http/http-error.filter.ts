import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';

/** The one body every Ledgerline HTTP error has, whichever service and whatever went wrong. */
export interface HttpErrorBody {
  code: string;
  message: string;
  problems: string[];
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * What an HttpException (Nest's own: an unknown route, a body parser's 413, a guard; or a service's own
 * `{ code, message, problems? }`) answers, as the one error shape.
 */
export function httpErrorBody(status: number, response: unknown, fallbackMessage: string): HttpErrorBody {
  const body = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
  const code = typeof body.code === 'string' && body.code !== '' ? body.code : (CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'HTTP_ERROR'));
  const messages = typeof body.message === 'string' ? [body.message] : strings(body.message);
  const message = messages.length === 1 ? messages[0] : messages.length > 1 ? 'The request is invalid' : typeof response === 'string' ? response : fallbackMessage;
  const problems = [...strings(body.problems), ...(messages.length > 1 ? messages : [])];
  return { code, message, problems };
}

/**
 * The last word on every HTTP error no service filter answered: the same `{ code, message, problems }` body
 * everywhere. Anything that is not an HttpException is a 500 whose detail is logged, not answered.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) this.logger.error(`${status}: ${exception.message}`);
      response.status(status).json(httpErrorBody(status, exception.getResponse(), exception.message));
      return;
    }
    this.logger.error(`unhandled error answering a request: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`);
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ code: 'INTERNAL_ERROR', message: 'An internal error occurred', problems: [] } satisfies HttpErrorBody);
  }
}
