import { DocumentType, FailureCode, FailureDetail } from '@ledgerline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DocumentStatus } from '../domain/document-status';

/** One document request (invoice, quote or purchase order) and what became of it in Xero. */
@Entity({ name: 'documents' })
export class DocumentEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'company_id', type: 'varchar' })
  companyId: string;

  @Column({ type: 'varchar' })
  type: DocumentType;

  /** The requester's id for the request; unique per company and type. */
  @Column({ name: 'request_id', type: 'varchar' })
  requestId: string;

  @Column({ name: 'client_id', type: 'varchar' })
  clientId: string;

  /** The request payload as received (or as corrected by a retry). */
  @Column({ type: 'jsonb' })
  request: Record<string, unknown>;

  @Column({ type: 'varchar' })
  status: DocumentStatus;

  /** 1 for the request, +1 for every retry; part of the Xero idempotency key. */
  @Column({ type: 'int' })
  attempt: number;

  @Column({ name: 'ready_at', type: 'timestamptz', nullable: true })
  readyAt: Date | null;

  @Column({ name: 'xero_contact_id', type: 'uuid', nullable: true })
  xeroContactId: string | null;

  @Column({ name: 'xero_id', type: 'uuid', nullable: true })
  xeroId: string | null;

  @Column({ name: 'xero_number', type: 'varchar', nullable: true })
  xeroNumber: string | null;

  @Column({ name: 'xero_status', type: 'varchar', nullable: true })
  xeroStatus: string | null;

  @Column({ name: 'currency_code', type: 'varchar' })
  currencyCode: string;

  @Column({ name: 'sub_total', type: 'numeric', nullable: true })
  subTotal: string | null;

  @Column({ name: 'total_tax', type: 'numeric', nullable: true })
  totalTax: string | null;

  @Column({ type: 'numeric', nullable: true })
  total: string | null;

  @Column({ name: 'amount_due', type: 'numeric', nullable: true })
  amountDue: string | null;

  @Column({ name: 'last_error_code', type: 'varchar', nullable: true })
  lastErrorCode: string | null;

  @Column({ name: 'last_error_messages', type: 'jsonb', nullable: true })
  lastErrorMessages: string[] | null;

  @Column({ name: 'last_error_at', type: 'timestamptz', nullable: true })
  lastErrorAt: Date | null;

  @Column({ name: 'correlation_id', type: 'varchar' })
  correlationId: string;

  /** The id of the event that requested the document; outcome events name it as their cause. */
  @Column({ name: 'causation_id', type: 'varchar', nullable: true })
  causationId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** Set while a cancel is under way (cleared when Xero refuses it). */
  @Column({ name: 'cancel_requested_at', type: 'timestamptz', nullable: true })
  cancelRequestedAt: Date | null;

  /** The document.cancel_requested event that cancelled (or is cancelling) the document. */
  @Column({ name: 'cancel_event_id', type: 'varchar', nullable: true })
  cancelEventId: string | null;

  @Column({ name: 'cancel_correlation_id', type: 'varchar', nullable: true })
  cancelCorrelationId: string | null;

  @Column({ name: 'cancel_reason', type: 'varchar', nullable: true })
  cancelReason: string | null;

  /** Why Xero's rules refused the last cancel. */
  @Column({ name: 'cancel_failure', type: 'jsonb', nullable: true })
  cancelFailure: FailureDetail | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  get lastError(): FailureDetail | null {
    return this.lastErrorCode ? { code: this.lastErrorCode as FailureCode, messages: this.lastErrorMessages ?? [] } : null;
  }
}
