import { COMPANY_ID_PATTERN, DOCUMENT_TYPES, DocumentType, LineItem } from '@ledgerline/contracts';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { DOCUMENT_STATUSES, DocumentStatus } from '../document-records/domain/document-status';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

export class ListDocumentsQuery {
  @IsOptional()
  @IsIn(DOCUMENT_TYPES, { message: `type must be one of ${DOCUMENT_TYPES.join(', ')}` })
  type?: DocumentType;

  @IsOptional()
  @IsIn(DOCUMENT_STATUSES, { message: `status must be one of ${DOCUMENT_STATUSES.join(', ')}` })
  status?: DocumentStatus;

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

  /** Read by the company scoping (a super admin may name a company; anyone else only their own). */
  @IsOptional()
  @Matches(COMPANY_ID_PATTERN, { message: 'companyId is not a company id' })
  companyId?: string;
}

/** A retry, optionally with corrected line items (validated exactly like those of an incoming request). */
export class RetryDocumentBody {
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'lineItems must contain at least one line' })
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => LineItem)
  lineItems?: LineItem[];
}

export class CompanyScopeQuery {
  @IsOptional()
  @Matches(COMPANY_ID_PATTERN, { message: 'companyId is not a company id' })
  companyId?: string;
}
