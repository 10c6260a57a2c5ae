import { DATE_PATTERN, SYNC_ACTIVITY_OUTCOMES } from '@ledgerline/contracts';
import { PagedCompanyQuery, CompanyScopeQuery } from '@ledgerline/platform';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const ENTITY_PATTERN = /^[a-z_]{1,64}$/;

class TimeRangeQuery extends PagedCompanyQuery {
  @ApiPropertyOptional({ description: 'Only entries at or after this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({}, { message: 'from must be an ISO 8601 instant' })
  from?: string;

  @ApiPropertyOptional({ description: 'Only entries before this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({}, { message: 'to must be an ISO 8601 instant' })
  to?: string;

  @ApiPropertyOptional({ description: 'Only entries of this entity: invoice, quote, purchase_order, contact, payment, job, document …' })
  @IsOptional()
  @Matches(ENTITY_PATTERN, { message: 'entity must be an entity name such as invoice or contact' })
  entity?: string;

  @ApiPropertyOptional({ description: 'Text the entry contains (record, kind, code or message), case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;
}

export class SyncLogQuery extends TimeRangeQuery {
  @ApiPropertyOptional({ enum: SYNC_ACTIVITY_OUTCOMES, description: 'Only records with this outcome' })
  @IsOptional()
  @IsIn(SYNC_ACTIVITY_OUTCOMES, { message: `status must be one of ${SYNC_ACTIVITY_OUTCOMES.join(', ')}` })
  status?: string;
}

export const ERROR_SOURCES = ['outcome', 'dead_letter'] as const;

export class ErrorsQuery extends TimeRangeQuery {
  @ApiPropertyOptional({ enum: ERROR_SOURCES, description: 'Failed outcomes or dead letters' })
  @IsOptional()
  @IsIn(ERROR_SOURCES, { message: `source must be one of ${ERROR_SOURCES.join(', ')}` })
  source?: (typeof ERROR_SOURCES)[number];
}

export class OverviewQuery extends CompanyScopeQuery {
  @ApiPropertyOptional({ description: 'The day receivables are aged on (YYYY-MM-DD); today (UTC) when unset' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'asOf must be a date as YYYY-MM-DD' })
  asOf?: string;
}
