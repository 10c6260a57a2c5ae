import { IDENTIFIER_PATTERN } from '@ledgerline/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 200;

export const MAPPING_FILTERS = ['linked', 'unlinked', 'conflicted', 'archived'] as const;
export type MappingFilter = (typeof MAPPING_FILTERS)[number];

/** `GET /v1/contacts/mappings` query: paging, a filter, an optional client, and (for super admins) the company. */
export class MappingsQueryDto {
  /** Read by @ScopedCompany; declared so the whitelist lets it through. */
  @ApiPropertyOptional({ description: 'Another company (super admins only)' })
  @IsOptional()
  @IsString()
  companyId?: string;

  @ApiPropertyOptional({ description: 'Only this client' })
  @IsOptional()
  @Matches(IDENTIFIER_PATTERN, { message: 'clientId must be 1-128 characters of letters, digits, . _ : / -' })
  clientId?: string;

  @ApiPropertyOptional({
    enum: MAPPING_FILTERS,
    default: 'linked',
    description: 'linked: clients and their contacts; unlinked: Xero contacts no client is linked to; conflicted: links with a conflict waiting for a person; archived: archived contacts, linked or not',
  })
  @IsOptional()
  @IsIn(MAPPING_FILTERS, { message: `filter must be one of ${MAPPING_FILTERS.join(', ')}` })
  filter: MappingFilter = 'linked';

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number' })
  @Min(1, { message: 'page must be at least 1' })
  page = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'pageSize must be a whole number' })
  @Min(1, { message: 'pageSize must be at least 1' })
  @Max(MAX_PAGE_SIZE, { message: `pageSize must be at most ${MAX_PAGE_SIZE}` })
  pageSize = 50;
}
