import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { DOCUMENT_TYPES, DocumentRequest, DocumentType, FailureDetail, IsDate, IsDecimal, IsIdentifier } from './common';

export const INVOICE_REQUEST_STATUSES = ['DRAFT', 'AUTHORISED'] as const;

/** Raise a sales invoice in Xero for a client. */
export class InvoiceRequestedPayload extends DocumentRequest {
  @IsOptional() @IsDate('dueDate') dueDate?: string;
  @IsIn(INVOICE_REQUEST_STATUSES) status: (typeof INVOICE_REQUEST_STATUSES)[number];
  /** The job this invoice bills, when there is one. */
  @IsOptional() @IsIdentifier('jobId') jobId?: string;
  /**
   * The quote request this invoice bills (quote → job → invoice): without line items of its own, the invoice takes
   * the quote's; the quote is marked INVOICED in Xero once the invoice exists.
   */
  @IsOptional() @IsIdentifier('quoteRequestId') quoteRequestId?: string;
}

// An invoice that names its quote may leave out its lines (the quote's are used); the shared rules for lines apply
// whenever lines are given, and always when no quote is named.
ValidateIf((request: InvoiceRequestedPayload) => request.quoteRequestId === undefined || request.lineItems !== undefined)(InvoiceRequestedPayload.prototype, 'lineItems');

export const QUOTE_REQUEST_STATUSES = ['DRAFT', 'SENT'] as const;

export class QuoteRequestedPayload extends DocumentRequest {
  @IsOptional() @IsDate('expiryDate') expiryDate?: string;
  @IsOptional() @IsString() @MaxLength(100) title?: string;
  @IsOptional() @IsString() @MaxLength(3000) summary?: string;
  @IsIn(QUOTE_REQUEST_STATUSES) status: (typeof QUOTE_REQUEST_STATUSES)[number];
}

export const PURCHASE_ORDER_REQUEST_STATUSES = ['DRAFT', 'SUBMITTED', 'AUTHORISED'] as const;

/** A purchase order to a supplier; `clientId` names the supplier. */
export class PurchaseOrderRequestedPayload extends DocumentRequest {
  @IsOptional() @IsDate('deliveryDate') deliveryDate?: string;
  @IsOptional() @IsString() @MaxLength(500) deliveryAddress?: string;
  @IsIn(PURCHASE_ORDER_REQUEST_STATUSES) status: (typeof PURCHASE_ORDER_REQUEST_STATUSES)[number];
}

/** What Xero made of a document request. */
export abstract class DocumentCreated {
  @IsIdentifier('requestId') requestId: string;
  @IsIdentifier('clientId') clientId: string;
  @IsUUID() xeroId: string;
  @IsString() @IsNotEmpty() number: string;
  @IsString() @IsNotEmpty() status: string;
  @IsDecimal('subTotal') subTotal: string;
  @IsDecimal('totalTax') totalTax: string;
  @IsDecimal('total') total: string;
  @IsString() currencyCode: string;
}

export class InvoiceCreatedPayload extends DocumentCreated {
  @IsDecimal('amountDue') amountDue: string;
}
export class QuoteCreatedPayload extends DocumentCreated {}
export class PurchaseOrderCreatedPayload extends DocumentCreated {}

export abstract class DocumentFailed {
  @IsIdentifier('requestId') requestId: string;
  @IsIdentifier('clientId') clientId: string;

  @ValidateNested()
  @Type(() => FailureDetail)
  failure: FailureDetail;
}

export class InvoiceFailedPayload extends DocumentFailed {}
export class QuoteFailedPayload extends DocumentFailed {}
export class PurchaseOrderFailedPayload extends DocumentFailed {}

/** A customer answered a quote in Xero (seen by polling Xero's quotes: Xero sends no quote webhooks). */
export abstract class QuoteAnswered {
  @IsIdentifier('requestId') requestId: string;
  @IsIdentifier('clientId') clientId: string;
  @IsUUID() xeroId: string;
  @IsString() @IsNotEmpty() number: string;
  /** Xero's status: ACCEPTED or DECLINED. */
  @IsString() @IsNotEmpty() status: string;
}

export class QuoteAcceptedPayload extends QuoteAnswered {}
export class QuoteDeclinedPayload extends QuoteAnswered {}

/** A bill was raised in Xero from a purchase order Ledgerline raised (seen by polling: Xero sends no purchase order webhooks). */
export class PurchaseOrderBilledPayload {
  @IsIdentifier('requestId') requestId: string;
  /** The supplier. */
  @IsIdentifier('clientId') clientId: string;
  @IsUUID() xeroId: string;
  @IsString() @IsNotEmpty() number: string;
  /** Xero's status: BILLED. */
  @IsString() @IsNotEmpty() status: string;
}

/** Withdraw a document: Xero deletes drafts and voids authorised ones; the local record is kept. */
export class DocumentCancelRequestedPayload {
  @IsIn(DOCUMENT_TYPES) documentType: DocumentType;
  @IsIdentifier('requestId') requestId: string;
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

/** DELETED or VOIDED in Xero; NOT_SENT when the request was withdrawn before it reached Xero (no Xero id then). */
export const DOCUMENT_CANCELLED_STATUSES = ['DELETED', 'VOIDED', 'NOT_SENT'] as const;

export class DocumentCancelledPayload {
  @IsIn(DOCUMENT_TYPES) documentType: DocumentType;
  @IsIdentifier('requestId') requestId: string;
  /** The Xero record's id; absent when the request never reached Xero. */
  @IsOptional() @IsUUID() xeroId?: string;
  @IsIn(DOCUMENT_CANCELLED_STATUSES) status: (typeof DOCUMENT_CANCELLED_STATUSES)[number];
  /** The reason the cancel request gave. */
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class DocumentCancelFailedPayload {
  @IsIn(DOCUMENT_TYPES) documentType: DocumentType;
  @IsIdentifier('requestId') requestId: string;

  @ValidateNested()
  @Type(() => FailureDetail)
  failure: FailureDetail;
}
