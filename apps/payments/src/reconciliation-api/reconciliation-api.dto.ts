import { COMPANY_ID_PATTERN, DATE_PATTERN } from '@ledgerline/contracts';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

export class CompanyScopeQuery {
  /** Read by the company scoping (a super admin may name a company; anyone else only their own). */
  @IsOptional()
  @Matches(COMPANY_ID_PATTERN, { message: 'companyId is not a company id' })
  companyId?: string;
}

export class ListPaymentsQuery extends CompanyScopeQuery {
  /** Payments made on or after this day. */
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'from must be a date as YYYY-MM-DD' })
  from?: string;

  /** Payments made on or before this day. */
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'to must be a date as YYYY-MM-DD' })
  to?: string;

  /** Only the payments of this Xero invoice. */
  @IsOptional()
  @IsUUID('all', { message: 'invoiceId must be a Xero invoice id' })
  invoiceId?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'page must be a whole number from 1' })
  @Min(1, { message: 'page must be a whole number from 1' })
  page = 1;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'pageSize must be a whole number from 1 to 200' })
  @Min(1, { message: 'pageSize must be a whole number from 1 to 200' })
  @Max(200, { message: 'pageSize must be a whole number from 1 to 200' })
  pageSize = 50;
}
