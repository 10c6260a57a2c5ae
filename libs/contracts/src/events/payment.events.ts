import { IsOptional, IsString, IsUUID } from 'class-validator';
import { IsDate, IsDecimal, IsIdentifier } from './common';

/** A payment against one of our invoices was seen in Xero. */
export class PaymentRecordedPayload {
  @IsUUID() xeroPaymentId: string;
  @IsUUID() xeroInvoiceId: string;
  @IsOptional() @IsIdentifier('requestId') requestId?: string;
  @IsDecimal('amount') amount: string;
  @IsString() currencyCode: string;
  @IsDate('date') date: string;
  @IsOptional() @IsString() reference?: string;
}

/** The invoice's balance after a payment or a reversal. */
export class InvoiceBalancePayload {
  @IsUUID() xeroInvoiceId: string;
  @IsOptional() @IsIdentifier('requestId') requestId?: string;
  @IsDecimal('total') total: string;
  @IsDecimal('amountPaid') amountPaid: string;
  @IsDecimal('amountDue') amountDue: string;
  @IsString() currencyCode: string;
}

export class InvoicePaidPayload extends InvoiceBalancePayload {}
export class InvoicePartiallyPaidPayload extends InvoiceBalancePayload {}

export class PaymentReversedPayload {
  @IsUUID() xeroPaymentId: string;
  @IsUUID() xeroInvoiceId: string;
  @IsOptional() @IsIdentifier('requestId') requestId?: string;
  @IsDecimal('amount') amount: string;
}
