import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateNested } from 'class-validator';
import { FailureDetail } from './common';

export const SYNC_ACTIVITY_OUTCOMES = ['succeeded', 'failed', 'retrying', 'waiting_connection', 'found_in_xero'] as const;
export type SyncActivityOutcome = (typeof SYNC_ACTIVITY_OUTCOMES)[number];

/** One record an attempt concerned, with what the attempt meant for it. */
export class SyncActivityTarget {
  @IsUUID() operationId: string;
  /** The owning service's record (a document id, a client id). */
  @IsString() @MaxLength(255) target: string;
  @IsIn(SYNC_ACTIVITY_OUTCOMES) outcome: SyncActivityOutcome;
  @IsOptional() @ValidateNested() @Type(() => FailureDetail) failure?: FailureDetail;
  /** The Xero record it produced or found, when there is one. */
  @IsOptional() @IsString() @MaxLength(255) xeroId?: string;
}

/** One attempt of the operations engine at Xero (a batch or a single call), for the console's sync log and progress. */
export class SyncActivityPayload {
  @IsString() @MaxLength(64) service: string;
  /** The operation kind, e.g. `invoice.create`, `contact.sync`. */
  @IsString() @MaxLength(64) kind: string;
  @IsUUID() attemptId: string;
  @IsUUID() batchId: string;
  @IsInt() @Min(1) attempt: number;
  @IsISO8601() startedAt: string;
  @IsInt() @Min(0) durationMs: number;
  /** Xero calls this attempt used (retries inside the Xero client included). */
  @IsInt() @Min(0) callsUsed: number;
  /** The HTTP status of Xero's last answer, when Xero answered. */
  @IsOptional() @IsInt() xeroStatus?: number;
  @IsIn(SYNC_ACTIVITY_OUTCOMES) outcome: SyncActivityOutcome;
  @IsOptional() @ValidateNested() @Type(() => FailureDetail) failure?: FailureDetail;

  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SyncActivityTarget)
  targets: SyncActivityTarget[];
}

/** What a manual sync reads again from Xero: one owning service each. */
export const SYNC_SCOPES = ['contacts', 'payments', 'quotes'] as const;
export type SyncScope = (typeof SYNC_SCOPES)[number];

/** Read a company's records of one scope from Xero again now (the console's manual sync); the owning service answers with `sync.progress`. */
export class SyncRequestedPayload {
  /** Chosen by the requester; every `sync.progress` of this run carries it. */
  @IsUUID() syncId: string;
  @IsIn(SYNC_SCOPES) scope: SyncScope;
}

export const SYNC_PROGRESS_STATES = ['running', 'done', 'failed'] as const;
export type SyncProgressState = (typeof SYNC_PROGRESS_STATES)[number];

/** How far a manual sync has got: cumulative counts, published after each page and once more when it ends. */
export class SyncProgressPayload {
  @IsUUID() syncId: string;
  @IsIn(SYNC_SCOPES) scope: SyncScope;
  @IsIn(SYNC_PROGRESS_STATES) state: SyncProgressState;
  @IsInt() @Min(0) pagesRead: number;
  @IsInt() @Min(0) recordsChanged: number;
  @IsInt() @Min(0) errors: number;
  /** Why the sync failed, when it did. */
  @IsOptional() @ValidateNested() @Type(() => FailureDetail) failure?: FailureDetail;
}
