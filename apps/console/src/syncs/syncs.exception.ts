import { CodedException } from '@ledgerline/platform';
import { HttpStatus } from '@nestjs/common';

export enum SyncsErrorCode {
  Running = 'SYNC_RUNNING',
  NotFound = 'SYNC_NOT_FOUND',
}

export class SyncsException extends CodedException<SyncsErrorCode> {}

/** The one place where a manual sync's error code becomes an HTTP status. */
export const SYNCS_HTTP_STATUS: Record<SyncsErrorCode, HttpStatus> = {
  [SyncsErrorCode.Running]: HttpStatus.CONFLICT,
  [SyncsErrorCode.NotFound]: HttpStatus.NOT_FOUND,
};
