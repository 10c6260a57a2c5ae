import { COMPANY_ID_PATTERN, describeViolations } from '@ledgerline/contracts';
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/**
 * How the REST APIs validate a query or body: transformed to its class, unknown fields refused, and every
 * violation answered at once as `INVALID_REQUEST` with its problems.
 */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => new BadRequestException({ code: 'INVALID_REQUEST', message: 'The request is invalid', problems: describeViolations(errors) }),
  });
}

/** A request about one company's records. */
export class CompanyScopeQuery {
  /** Read by the company scoping (a super admin may name a company; anyone else only their own). */
  @ApiPropertyOptional({ description: 'The company to act for: a super admin may name any; anyone else only their own (the default)', example: 'acme-ltd' })
  @IsOptional()
  @Matches(COMPANY_ID_PATTERN, { message: 'companyId is not a company id' })
  companyId?: string;
}

/** One page of a company's records. */
export class PagedCompanyQuery extends CompanyScopeQuery {
  @ApiPropertyOptional({ description: 'The page, from 1', minimum: 1, default: 1, type: Number })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'page must be a whole number from 1' })
  @Min(1, { message: 'page must be a whole number from 1' })
  page = 1;

  @ApiPropertyOptional({ description: 'Records a page', minimum: 1, maximum: 200, default: 50, type: Number })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'pageSize must be a whole number from 1 to 200' })
  @Min(1, { message: 'pageSize must be a whole number from 1 to 200' })
  @Max(200, { message: 'pageSize must be a whole number from 1 to 200' })
  pageSize = 50;
}
