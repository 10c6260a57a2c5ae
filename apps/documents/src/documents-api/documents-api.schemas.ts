import { DOCUMENT_TYPES, DocumentType, FAILURE_CODES, FailureCode } from '@ledgerline/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DOCUMENT_STATUSES, DocumentStatus } from '../document-records/domain/document-status';
import type { DocumentDetailView, DocumentView } from './document-view';
import type { DocumentPage } from './documents-api.service';

/** The API description's shapes of what the documents REST API takes and answers. */

export class TrackingSelectionBody {
  @ApiProperty({ maxLength: 100, example: 'Region' }) name: string;
  @ApiProperty({ maxLength: 100, example: 'North' }) option: string;
}

/** A line as `invoice.requested` and its kin carry it (validated by the contracts' LineItem). */
export class LineItemBody {
  @ApiProperty({ maxLength: 4000, example: 'Call-out' }) description: string;
  @ApiProperty({ description: 'A decimal, as a string', example: '1' }) quantity: string;
  @ApiProperty({ description: 'A decimal, as a string', example: '65.00' }) unitAmount: string;
  @ApiPropertyOptional({ maxLength: 10, example: '200' }) accountCode?: string;
  @ApiPropertyOptional({ maxLength: 50, example: 'OUTPUT2' }) taxType?: string;
  @ApiPropertyOptional({ maxLength: 30 }) itemCode?: string;
  @ApiPropertyOptional({ description: 'A decimal percentage, as a string', example: '10' }) discountRate?: string;
  @ApiPropertyOptional({ type: [TrackingSelectionBody], maxItems: 2 }) tracking?: TrackingSelectionBody[];
}

export class XeroRecordBody {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) id: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'INV-0001' }) number: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'AUTHORISED' }) status: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) contactId: string | null;
}

export class TotalsBody {
  @ApiProperty({ example: '65.00' }) subTotal: string;
  @ApiProperty({ example: '9.75' }) totalTax: string;
  @ApiProperty({ example: '74.75' }) total: string;
  @ApiProperty({ type: String, nullable: true, description: 'An invoice’s; quotes and purchase orders have none' }) amountDue: string | null;
}

export class FailureBody {
  @ApiProperty({ enum: FAILURE_CODES, description: 'A code from the one failure catalogue' }) code: FailureCode;
  @ApiProperty({ type: [String], description: 'Xero’s messages, or ours' }) messages: string[];
  @ApiPropertyOptional() retriable?: boolean;
}

export class LastErrorBody extends FailureBody {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) at: string | null;
}

export class CancelBody {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) eventId: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) requestedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelledAt: string | null;
  @ApiProperty({ type: FailureBody, nullable: true }) failure: FailureBody | null;
}

export class DocumentBody implements DocumentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DOCUMENT_TYPES }) type: DocumentType;
  @ApiProperty() requestId: string;
  @ApiProperty() clientId: string;
  @ApiProperty({ enum: DOCUMENT_STATUSES }) status: DocumentStatus;
  @ApiProperty() attempt: number;
  @ApiProperty({ description: 'How many attempts at Xero carried the document' }) sendCount: number;
  @ApiProperty({ type: XeroRecordBody }) xero: XeroRecordBody;
  @ApiProperty({ example: 'NZD' }) currencyCode: string;
  @ApiProperty({ type: TotalsBody, nullable: true }) totals: TotalsBody | null;
  @ApiProperty({ type: LastErrorBody, nullable: true }) lastError: LastErrorBody | null;
  @ApiProperty({ type: CancelBody, nullable: true }) cancel: CancelBody | null;
  @ApiProperty() correlationId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
}

export class DocumentDetailBody extends DocumentBody implements DocumentDetailView {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The request as received (its event payload)' }) request: Record<string, unknown>;
}

export class DocumentPageBody implements DocumentPage {
  @ApiProperty({ type: [DocumentBody] }) items: DocumentBody[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
