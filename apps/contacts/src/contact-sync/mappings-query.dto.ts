import { IDENTIFIER_PATTERN } from '@ledgerline/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 200;

/** `GET /v1/contacts/mappings` query: paging, an optional client, and (for super admins) the company. */
export class MappingsQueryDto {
  /** Read by @ScopedCompany; declared so the whitelist lets it through. */
  @IsOptional()
  @IsString()
  companyId?: string;

  @IsOptional()
  @Matches(IDENTIFIER_PATTERN, { message: 'clientId must be 1-128 characters of letters, digits, . _ : / -' })
  clientId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number' })
  @Min(1, { message: 'page must be at least 1' })
  page = 1;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'pageSize must be a whole number' })
  @Min(1, { message: 'pageSize must be at least 1' })
  @Max(MAX_PAGE_SIZE, { message: `pageSize must be at most ${MAX_PAGE_SIZE}` })
  pageSize = 50;
}
