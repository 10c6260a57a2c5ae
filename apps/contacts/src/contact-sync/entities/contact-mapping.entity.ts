import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import { XeroContactFields } from '../domain/xero-contact';

export type ContactLink = 'created' | 'matched';

/**
 * Which Xero contact a company's client is, and what Ledgerline last wrote to it. One contact per client and
 * company; a contact is linked to at most one client of a company.
 */
@Entity({ name: 'contact_mappings' })
@Unique('contact_mappings_company_contact_key', ['companyId', 'xeroContactId'])
export class ContactMappingEntity {
  @PrimaryColumn({ name: 'company_id', type: 'varchar', length: 64 })
  companyId: string;

  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 128 })
  clientId: string;

  @Column({ name: 'xero_contact_id', type: 'uuid' })
  xeroContactId: string;

  /** The contact's name as Xero returned it. */
  @Column({ name: 'contact_name', type: 'varchar', length: 255 })
  contactName: string;

  /** Whether Ledgerline created the contact or linked one that already existed. */
  @Column({ name: 'linked_by', type: 'varchar', length: 16 })
  linkedBy: ContactLink;

  /** SHA-256 of the fields last written; equal to the client's current hash means nothing to send. */
  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash: string;

  /** The fields last written, so a field the client drops later can be cleared in Xero. */
  @Column({ name: 'sent_contact', type: 'jsonb' })
  sentContact: XeroContactFields;

  /** How many times Ledgerline wrote this contact; part of each update's idempotency key. */
  @Column({ name: 'write_count', type: 'int' })
  writeCount: number;

  @Column({ name: 'last_written_at', type: 'timestamptz' })
  lastWrittenAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
