import { Type } from 'class-transformer';
import { FAILURE_CODES, FailureCode } from '../failures';
import {
  ArrayMaxSize,
  IsBoolean,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/** A decimal amount as a string (never a float): up to 15 digits and 4 decimal places, e.g. "1250.50". */
export const DECIMAL_PATTERN = /^-?\d{1,15}(\.\d{1,4})?$/;
export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const decimal = (field: string) => ({ message: `${field} must be a decimal string such as "12.50" (at most 4 decimal places)` });
const date = (field: string) => ({ message: `${field} must be a date as YYYY-MM-DD` });

export const IsDecimal = (field: string) => Matches(DECIMAL_PATTERN, decimal(field));
export const IsDate = (field: string) => Matches(DATE_PATTERN, date(field));

/** A business identifier from the publishing system (client id, job id, request id). */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
export const IsIdentifier = (field: string) =>
  Matches(IDENTIFIER_PATTERN, { message: `${field} must be 1-128 characters of letters, digits, . _ : / -` });

export class Address {
  @IsOptional() @IsString() @MaxLength(500) line1?: string;
  @IsOptional() @IsString() @MaxLength(500) line2?: string;
  @IsOptional() @IsString() @MaxLength(255) city?: string;
  @IsOptional() @IsString() @MaxLength(255) region?: string;
  @IsOptional() @IsString() @MaxLength(50) postalCode?: string;
  @IsOptional() @IsString() @MaxLength(50) country?: string;
}

export class TrackingSelection {
  @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @IsString() @IsNotEmpty() @MaxLength(100) option: string;
}

export class LineItem {
  @IsString() @IsNotEmpty() @MaxLength(4000) description: string;
  @IsDecimal('quantity') quantity: string;
  @IsDecimal('unitAmount') unitAmount: string;
  @IsOptional() @IsString() @MaxLength(10) accountCode?: string;
  @IsOptional() @IsString() @MaxLength(50) taxType?: string;
  @IsOptional() @IsString() @MaxLength(30) itemCode?: string;
  @IsOptional() @IsDecimal('discountRate') discountRate?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2)
  @ValidateNested({ each: true })
  @Type(() => TrackingSelection)
  tracking?: TrackingSelection[];
}

export const LINE_AMOUNT_TYPES = ['Exclusive', 'Inclusive', 'NoTax'] as const;
export type LineAmountType = (typeof LINE_AMOUNT_TYPES)[number];

/** What every document request (invoice, quote, purchase order) shares. */
export abstract class DocumentRequest {
  /** The caller's id for this request: the idempotency key of the whole flow. */
  @IsIdentifier('requestId') requestId: string;
  @IsIdentifier('clientId') clientId: string;

  @IsArray()
  @ArrayMinSize(1, { message: 'lineItems must contain at least one line' })
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => LineItem)
  lineItems: LineItem[];

  @IsOptional() @IsString() @MaxLength(255) reference?: string;
  @IsDate('date') date: string;
  @IsISO4217CurrencyCode() currencyCode: string;
  @IsOptional() @IsIn(LINE_AMOUNT_TYPES) lineAmountTypes?: LineAmountType;
}

/** Why something failed: a code from the one failure catalogue, and Xero's messages so the requesting system can show them. */
export class FailureDetail {
  @IsIn(FAILURE_CODES, { message: `code must be one of the failure catalogue's codes: ${FAILURE_CODES.join(', ')}` })
  code: FailureCode;

  @IsArray()
  @IsString({ each: true })
  messages: string[];

  /** Whether the same request may still succeed later by itself (the catalogue's answer for the code). */
  @IsOptional() @IsBoolean() retriable?: boolean;
}

export const DOCUMENT_TYPES = ['invoice', 'quote', 'purchase_order'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
