import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
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
  /** Credit notes, prepayments and overpayments allocated to the invoice (absent from older publishers). */
  @IsOptional() @IsDecimal('amountCredited') amountCredited?: string;
}

export class InvoicePaidPayload extends InvoiceBalancePayload {}
export class InvoicePartiallyPaidPayload extends InvoiceBalancePayload {}
/** A reversal (or an allocation removed) left nothing settled: the invoice is owed in full again. */
export class InvoiceUnpaidPayload extends InvoiceBalancePayload {}

export class PaymentReversedPayload {
  @IsUUID() xeroPaymentId: string;
  @IsUUID() xeroInvoiceId: string;
  @IsOptional() @IsIdentifier('requestId') requestId?: string;
  @IsDecimal('amount') amount: string;
}

export const CREDIT_KINDS = ['credit_note', 'prepayment', 'overpayment'] as const;
export type CreditKind = (typeof CREDIT_KINDS)[number];

/** Credit (a credit note, prepayment or overpayment) allocated to one of our invoices, or taken off it, in Xero. */
export class CreditAllocationPayload {
  @IsIn(CREDIT_KINDS) creditKind: CreditKind;
  /** The credit note's, prepayment's or overpayment's id in Xero. */
  @IsUUID() creditId: string;
  @IsUUID() xeroInvoiceId: string;
  @IsOptional() @IsIdentifier('requestId') requestId?: string;
  /** How much this change allocated (or removed). */
  @IsDecimal('amount') amount: string;
  /** What this credit has applied to the invoice in all, after the change. */
  @IsDecimal('appliedTotal') appliedTotal: string;
  @IsString() currencyCode: string;
  @IsOptional() @IsDate('date') date?: string;
}

export class CreditAllocatedPayload extends CreditAllocationPayload {}
export class CreditUnallocatedPayload extends CreditAllocationPayload {}

/** One of our invoices was voided or deleted in Xero, with its balance at that moment. */
export class InvoiceVoidedPayload extends InvoiceBalancePayload {}
export class InvoiceDeletedPayload extends InvoiceBalancePayload {}
