import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { FailureDetail, IsDecimal, IsIdentifier } from './common';

/** A job was assigned in the job system; it becomes a Xero project. */
export class JobAssignedPayload {
  @IsIdentifier('jobId') jobId: string;
  @IsIdentifier('clientId') clientId: string;
  @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @IsOptional() @IsISO8601({ strict: true }) deadline?: string;
  @IsOptional() @IsDecimal('estimateAmount') estimateAmount?: string;
  /** The assignee's email address: matched to a Xero projects user by the company's staff mapping. */
  @IsOptional() @IsString() @MaxLength(255) assignee?: string;
  /** The kind of service: the company's service → task template gives the project its tasks. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) serviceType?: string;
}

export const JOB_STATUSES = ['in_progress', 'completed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export class JobStatusChangedPayload {
  @IsIdentifier('jobId') jobId: string;
  @IsIn(JOB_STATUSES) status: JobStatus;
}

export class JobSyncedPayload {
  @IsIdentifier('jobId') jobId: string;
  @IsUUID() xeroProjectId: string;
  @IsIn(['INPROGRESS', 'CLOSED']) status: 'INPROGRESS' | 'CLOSED';
  /** The Xero projects user the job's assignee maps to. */
  @IsOptional() @IsUUID() xeroUserId?: string;
  /** The job's assignee when no Xero projects user matches it (the project is synced all the same). */
  @IsOptional() @IsString() @MaxLength(255) unmappedAssignee?: string;
}

export class JobSyncFailedPayload {
  @IsIdentifier('jobId') jobId: string;

  @ValidateNested()
  @Type(() => FailureDetail)
  failure: FailureDetail;
}
