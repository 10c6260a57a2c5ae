import { DATE_PATTERN } from '@ledgerline/contracts';
import { PagedCompanyQuery } from '@ledgerline/platform';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';

export class ListPaymentsQuery extends PagedCompanyQuery {
  /** Payments made on or after this day. */
  @ApiPropertyOptional({ format: 'date', description: 'Payments made on or after this day (YYYY-MM-DD)' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'from must be a date as YYYY-MM-DD' })
  from?: string;

  /** Payments made on or before this day. */
  @ApiPropertyOptional({ format: 'date', description: 'Payments made on or before this day (YYYY-MM-DD)' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'to must be a date as YYYY-MM-DD' })
  to?: string;

  /** Only the payments of this Xero invoice. */
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the payments of this Xero invoice' })
  @IsOptional()
  @IsUUID('all', { message: 'invoiceId must be a Xero invoice id' })
  invoiceId?: string;
}
