import { FailureDetail } from '@ledgerline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ContactSyncState = 'requested' | 'synced' | 'failed';

/**
 * What this service knows of a client's Xero contact, learned from contact.synced (never from the contacts
 * service's tables), and whether a sync has been asked for, so it is asked once per waiting client.
 */
@Entity({ name: 'contact_mappings' })
export class ContactMappingEntity {
  @PrimaryColumn({ name: 'company_id', type: 'varchar' })
  companyId: string;

  @PrimaryColumn({ name: 'client_id', type: 'varchar' })
  clientId: string;

  @Column({ name: 'xero_contact_id', type: 'uuid', nullable: true })
  xeroContactId: string | null;

  @Column({ name: 'contact_name', type: 'varchar', nullable: true })
  contactName: string | null;

  @Column({ name: 'sync_state', type: 'varchar' })
  syncState: ContactSyncState;

  @Column({ name: 'requested_at', type: 'timestamptz', nullable: true })
  requestedAt: Date | null;

  @Column({ name: 'synced_at', type: 'timestamptz', nullable: true })
  syncedAt: Date | null;

  @Column({ name: 'last_failure', type: 'jsonb', nullable: true })
  lastFailure: FailureDetail | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
