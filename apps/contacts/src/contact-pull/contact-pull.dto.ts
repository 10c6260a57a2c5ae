import { CompanyScopeQuery, PagedCompanyQuery } from '@ledgerline/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsOptional } from 'class-validator';
import { CONTACT_FIELDS } from '../contact-sync/domain/contact-fields';
import { CONFLICT_POLICIES, ConflictPolicy } from '../contact-sync/domain/field-reconcile';

export class ContactSettingsDto {
  @ApiProperty({ enum: CONFLICT_POLICIES, description: 'Who wins a field changed on both sides since the last sync' }) conflictPolicy: ConflictPolicy;
  @ApiProperty({ description: 'Announce contacts created in Xero that no client is linked to (contact.changed without clientId)' }) announceUnlinkedContacts: boolean;
}

export class UpdateContactSettingsDto {
  @ApiPropertyOptional({ enum: CONFLICT_POLICIES })
  @IsOptional()
  @IsIn(CONFLICT_POLICIES, { message: `conflictPolicy must be one of ${CONFLICT_POLICIES.join(', ')}` })
  conflictPolicy?: ConflictPolicy;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'announceUnlinkedContacts must be true or false' })
  announceUnlinkedContacts?: boolean;
}

export const CONFLICT_STATUSES = ['open', 'decided', 'resolved'] as const;

export class ConflictsQueryDto extends PagedCompanyQuery {
  @ApiPropertyOptional({ enum: CONFLICT_STATUSES, description: 'open: waiting for a person (manual policy); decided: by the policy; resolved: by a person' })
  @IsOptional()
  @IsIn(CONFLICT_STATUSES, { message: `status must be one of ${CONFLICT_STATUSES.join(', ')}` })
  status?: (typeof CONFLICT_STATUSES)[number];
}

export class HistoryQueryDto extends PagedCompanyQuery {}

export class ResolveConflictDto {
  @ApiProperty({
    description: `The side kept for every conflicting field: "ledgerline" or "xero" (fields: ${CONTACT_FIELDS.join(', ')})`,
    example: { emailAddress: 'xero' },
    type: 'object',
    additionalProperties: { type: 'string', enum: ['ledgerline', 'xero'] },
  })
  @IsObject({ message: 'fields must be an object of field → "ledgerline" | "xero"' })
  fields: Record<string, string>;
}

export class ScopeQueryDto extends CompanyScopeQuery {}

export class FieldConflictDto {
  @ApiProperty({ enum: CONTACT_FIELDS }) field: string;
  @ApiPropertyOptional({ description: 'The value both sides last agreed on' }) base?: unknown;
  @ApiPropertyOptional() ledgerline?: unknown;
  @ApiPropertyOptional() xero?: unknown;
  @ApiPropertyOptional({ enum: ['ledgerline', 'xero'] }) winner?: string;
}

export class ConflictDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() clientId: string;
  @ApiProperty({ format: 'uuid' }) xeroContactId: string;
  @ApiProperty({ enum: CONFLICT_POLICIES }) policy: string;
  @ApiProperty({ enum: CONFLICT_STATUSES }) status: string;
  @ApiProperty({ type: [FieldConflictDto] }) fields: FieldConflictDto[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } }) resolution?: Record<string, string> | null;
  @ApiProperty({ format: 'date-time' }) detectedAt: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) resolvedAt: string | null;
}

export class ConflictsPageDto {
  @ApiProperty() companyId: string;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
  @ApiProperty({ type: [ConflictDto] }) items: ConflictDto[];
}

export class ResolvedConflictDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['resolved'] }) status: 'resolved';
  @ApiProperty({ type: [String], description: 'Fields whose Xero value is kept (announced as contact.changed)' }) xero: string[];
  @ApiProperty({ type: [String], description: "Fields whose client value is written to Xero by the client's next sync" }) ledgerline: string[];
}

export class HistoryItemDto {
  @ApiProperty({ format: 'uuid' }) xeroContactId: string;
  @ApiProperty({ enum: ['push', 'pull', 'resolve'] }) source: string;
  @ApiProperty({ description: 'created, matched, updated, changed_in_xero, merged, conflict_decided, conflict_waiting, conflict_resolved, …' }) action: string;
  @ApiProperty({ type: [String] }) fields: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true }) detail: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class HistoryPageDto {
  @ApiProperty() companyId: string;
  @ApiProperty() clientId: string;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
  @ApiProperty({ type: [HistoryItemDto] }) items: HistoryItemDto[];
}
