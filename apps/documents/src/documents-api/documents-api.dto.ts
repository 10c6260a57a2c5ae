import { DOCUMENT_TYPES, DocumentType, LineItem } from '@ledgerline/contracts';
import { PagedCompanyQuery } from '@ledgerline/platform';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { DOCUMENT_STATUSES, DocumentStatus } from '../document-records/domain/document-status';
import { LineItemBody } from './documents-api.schemas';

export class ListDocumentsQuery extends PagedCompanyQuery {
  @ApiPropertyOptional({ enum: DOCUMENT_TYPES })
  @IsOptional()
  @IsIn(DOCUMENT_TYPES, { message: `type must be one of ${DOCUMENT_TYPES.join(', ')}` })
  type?: DocumentType;

  @ApiPropertyOptional({ enum: DOCUMENT_STATUSES })
  @IsOptional()
  @IsIn(DOCUMENT_STATUSES, { message: `status must be one of ${DOCUMENT_STATUSES.join(', ')}` })
  status?: DocumentStatus;
}

/** A retry, optionally with corrected line items (validated exactly like those of an incoming request). */
export class RetryDocumentBody {
  @ApiPropertyOptional({ type: [LineItemBody], minItems: 1, maxItems: 500, description: 'Corrected lines, replacing the request’s' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'lineItems must contain at least one line' })
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => LineItem)
  lineItems?: LineItem[];
}
