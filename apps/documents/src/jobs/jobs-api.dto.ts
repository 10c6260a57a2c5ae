import { PagedCompanyQuery } from '@ledgerline/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CHARGE_TYPES, ChargeType } from './domain/project-sync';
import { JOB_SYNC_STATUSES, JobSyncStatus } from './job-records.service';

export class ListJobsQuery extends PagedCompanyQuery {
  @ApiPropertyOptional({ enum: JOB_SYNC_STATUSES })
  @IsOptional()
  @IsIn(JOB_SYNC_STATUSES, { message: `status must be one of ${JOB_SYNC_STATUSES.join(', ')}` })
  status?: JobSyncStatus;
}

/** One task of a service's template. */
export class TemplateTaskDto {
  @ApiProperty({ example: 'Bookkeeping', maxLength: 100 })
  @IsString({ message: 'name must be text' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(100, { message: 'name must be at most 100 characters (Xero’s limit for a task name)' })
  name: string;

  @ApiProperty({ example: '95.00', description: 'The hourly rate (TIME), the fixed price (FIXED) or 0 (NON_CHARGEABLE), in the project’s currency; a decimal string with at most 2 places' })
  @IsString({ message: 'rate must be a decimal string such as "95.00"' })
  @Matches(/^\d{1,13}(\.\d{1,2})?$/, { message: 'rate must be a non-negative decimal string with at most 2 decimal places, such as "95.00"' })
  rate: string;

  @ApiProperty({ enum: CHARGE_TYPES })
  @IsIn(CHARGE_TYPES, { message: `chargeType must be one of ${CHARGE_TYPES.join(', ')}` })
  chargeType: ChargeType;

  @ApiPropertyOptional({ example: 120, description: 'Estimated minutes for the task' })
  @IsOptional()
  @IsInt({ message: 'estimateMinutes must be a whole number of minutes' })
  @Min(0, { message: 'estimateMinutes must not be negative' })
  @Max(5_256_000, { message: 'estimateMinutes must be at most 5256000 (ten years)' })
  estimateMinutes?: number;
}

/** A service type's whole task list (it replaces the previous one). */
export class ServiceTemplateBody {
  @ApiProperty({ type: [TemplateTaskDto] })
  @IsArray({ message: 'tasks must be a list' })
  @ArrayMaxSize(100, { message: 'tasks must hold at most 100 tasks' })
  @ValidateNested({ each: true })
  @Type(() => TemplateTaskDto)
  tasks: TemplateTaskDto[];
}

/** Which Xero projects user an assignee is. */
export class StaffMappingBody {
  @ApiProperty({ format: 'uuid', description: 'The userId from Xero’s GET /ProjectsUsers' })
  @IsUUID('all', { message: 'xeroUserId must be a Xero projects user id (a UUID)' })
  xeroUserId: string;

  @ApiPropertyOptional({ example: 'Sidney Allen' })
  @IsOptional()
  @IsString()
  @MaxLength(255, { message: 'xeroUserName must be at most 255 characters' })
  xeroUserName?: string;
}

export class TemplateTaskView {
  @ApiProperty() name: string;
  @ApiProperty() rate: string;
  @ApiProperty({ enum: CHARGE_TYPES }) chargeType: ChargeType;
  @ApiPropertyOptional() estimateMinutes?: number;
}

export class ServiceTemplateView {
  @ApiProperty() serviceType: string;
  @ApiProperty({ type: [TemplateTaskView] }) tasks: TemplateTaskView[];
  @ApiProperty({ nullable: true, type: String }) updatedBy: string | null;
  @ApiProperty() updatedAt: string;
}

export class StaffMappingView {
  @ApiProperty({ description: 'The assignee’s email address, lower-case' }) assignee: string;
  @ApiProperty({ format: 'uuid' }) xeroUserId: string;
  @ApiProperty({ nullable: true, type: String }) xeroUserName: string | null;
  @ApiProperty({ enum: ['matched', 'manual'], description: '`matched`: found by email in Xero’s projects users; `manual`: set over REST' }) source: 'matched' | 'manual';
  @ApiProperty({ nullable: true, type: String }) updatedBy: string | null;
  @ApiProperty() updatedAt: string;
}

export class JobFailureView {
  @ApiProperty() code: string;
  @ApiProperty({ type: [String] }) messages: string[];
  @ApiPropertyOptional() at?: string;
}

export class JobView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() jobId: string;
  @ApiProperty() clientId: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional() serviceType?: string;
  @ApiPropertyOptional() assignee?: string;
  @ApiProperty({ nullable: true, type: String, description: 'The job system’s last status: in_progress, completed or cancelled' }) jobStatus: string | null;
  @ApiProperty({ enum: JOB_SYNC_STATUSES }) status: JobSyncStatus;
  @ApiProperty({ description: 'The project in Xero' })
  xero: { projectId: string | null; status: string | null; contactId: string | null; userId: string | null };
  @ApiProperty({ nullable: true, type: String, description: 'The assignee, when no Xero projects user matches it' }) unmappedAssignee: string | null;
  @ApiProperty({ nullable: true, type: JobFailureView }) lastError: JobFailureView | null;
  @ApiProperty() correlationId: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class JobDetailView extends JobView {
  @ApiProperty({ description: 'The job as last assigned (the job.assigned payload)' }) request: Record<string, unknown>;
}

export class JobPage {
  @ApiProperty({ type: [JobView] }) items: JobView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class ServiceTemplateList {
  @ApiProperty({ type: [ServiceTemplateView] }) items: ServiceTemplateView[];
}

export class StaffMappingList {
  @ApiProperty({ type: [StaffMappingView] }) items: StaffMappingView[];
}

export const SERVICE_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,99}$/;
