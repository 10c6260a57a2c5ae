import { CodedException } from '@ledgerline/platform';
import { HttpStatus } from '@nestjs/common';

/** What can go wrong with the jobs API outside Xero; the API maps each code to an HTTP status. */
export const JobsErrorCode = {
  NotFound: 'JOB_NOT_FOUND',
  InvalidMapping: 'INVALID_MAPPING',
} as const;

export type JobsErrorCode = (typeof JobsErrorCode)[keyof typeof JobsErrorCode];

export const JOBS_HTTP_STATUS: Record<JobsErrorCode, HttpStatus> = {
  [JobsErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [JobsErrorCode.InvalidMapping]: HttpStatus.BAD_REQUEST,
};

export class JobsException extends CodedException<JobsErrorCode> {
  static notFound(): JobsException {
    return new JobsException(JobsErrorCode.NotFound, 'No such job');
  }
}
