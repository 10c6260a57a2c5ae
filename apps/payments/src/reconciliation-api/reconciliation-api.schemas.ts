import { ApiProperty } from '@nestjs/swagger';
import type { InvoiceReconciliationView, PaymentPage, PaymentView } from './reconciliation-api.service';

/** The API description's shapes of what the reconciliation REST API answers. */

export class BalanceBody {
  @ApiProperty({ example: '200.00' }) total: string;
  @ApiProperty({ example: '50.00' }) amountPaid: string;
  @ApiProperty({ example: '0.00', description: 'Credit notes, prepayments and overpayments allocated' }) amountCredited: string;
  @ApiProperty({ example: '150.00' }) amountDue: string;
  @ApiProperty({ example: 'NZD' }) currencyCode: string;
}

export class ReconciliationDecisionBody {
  @ApiProperty({ example: 'payment.recorded', description: 'The decision, named as the event that announced it' }) decision: string;
  @ApiProperty({ enum: ['webhook', 'poll'] }) source: string;
  @ApiProperty({ format: 'date-time' }) decidedAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The event that announced it' }) eventId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What was decided' }) detail: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What Xero said' }) observed: unknown;
}

export class InvoiceReconciliationBody implements InvoiceReconciliationView {
  @ApiProperty({ format: 'uuid' }) xeroInvoiceId: string;
  @ApiProperty({ type: String, nullable: true }) requestId: string | null;
  @ApiProperty({ example: 'partially_paid' }) standing: string;
  @ApiProperty({ type: BalanceBody }) balance: BalanceBody;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: [ReconciliationDecisionBody], description: 'Every decision, oldest first' }) history: ReconciliationDecisionBody[];
}

export class PaymentBody implements PaymentView {
  @ApiProperty({ format: 'uuid' }) xeroPaymentId: string;
  @ApiProperty({ format: 'uuid' }) xeroInvoiceId: string;
  @ApiProperty({ example: '50.0000' }) amount: string;
  @ApiProperty({ example: 'NZD' }) currencyCode: string;
  @ApiProperty({ format: 'date', example: '2026-11-25' }) date: string;
  @ApiProperty({ type: String, nullable: true }) reference: string | null;
  @ApiProperty({ enum: ['recorded', 'reversed'] }) status: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) reversedAt: string | null;
}

export class PaymentPageBody implements PaymentPage {
  @ApiProperty({ type: [PaymentBody] }) items: PaymentBody[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
