import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Inject, Logger, Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Response } from 'express';
import { CodedException } from './coded.exception';

export const HTTP_STATUS_BY_CODE = Symbol('HTTP_STATUS_BY_CODE');

/**
 * Answers `{ code, message, problems }` with the status the service's map gives the code. A code the map
 * does not know is a 500, and a 500 keeps its code but not its detail (which is logged instead).
 */
@Catch(CodedException)
export class CodedExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(CodedExceptionFilter.name);

  constructor(@Inject(HTTP_STATUS_BY_CODE) private readonly statusByCode: Readonly<Record<string, number>>) {}

  catch(exception: CodedException, host: ArgumentsHost): void {
    // Kafka handlers sort their own failures (retry or dead-letter); anything escaping them is rethrown so
    // the message is redelivered rather than answered as if it were an HTTP request.
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const status = this.statusByCode[exception.code] ?? HttpStatus.INTERNAL_SERVER_ERROR;
    if (status >= 500) this.logger.error(`${exception.code}: ${exception.message}`);
    const message = status === HttpStatus.INTERNAL_SERVER_ERROR ? 'An internal error occurred' : exception.message;
    response.status(status).json({ code: exception.code, message, problems: status === HttpStatus.INTERNAL_SERVER_ERROR ? [] : exception.problems });
  }
}

/** The service's map from error codes to HTTP statuses, for `@UseFilters(CodedExceptionFilter)` on its controllers. */
export const httpStatusByCode = (statusByCode: Readonly<Record<string, number>>): Provider => ({ provide: HTTP_STATUS_BY_CODE, useValue: statusByCode });

/** The map, with the filter installed for every controller of the application. */
export function codedExceptionFilter(statusByCode: Readonly<Record<string, number>>): Provider[] {
  return [httpStatusByCode(statusByCode), { provide: APP_FILTER, useClass: CodedExceptionFilter }];
}
