import { DocumentType } from '@ledgerline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One Xero write of up to 50 documents of one company. Its members, their order, the exact body and the
 * Idempotency-Key are stored before the call, so whoever resends it (after a failure, a crash or a restart)
 * sends the same request under the same key and Xero applies it once.
 */
@Entity({ name: 'dispatch_batches' })
export class DispatchBatchEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'company_id', type: 'varchar' })
  companyId: string;

  @Column({ name: 'document_type', type: 'varchar' })
  documentType: DocumentType;

  @Column({ name: 'idempotency_key', type: 'varchar' })
  idempotencyKey: string;

  /** Member documents in request order: element i of Xero's answer belongs to documentIds[i]. */
  @Column({ name: 'document_ids', type: 'uuid', array: true })
  documentIds: string[];

  @Column({ type: 'json' })
  body: unknown[];

  @Column({ type: 'varchar' })
  status: 'open' | 'done';

  @Column({ type: 'int' })
  tries: number;

  @Column({ name: 'lease_token', type: 'uuid', nullable: true })
  leaseToken: string | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'last_error', type: 'jsonb', nullable: true })
  lastError: { code: string; messages: string[] } | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
