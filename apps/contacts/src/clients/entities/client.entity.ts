import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ClientAddress } from '../domain/client-record';

/** The latest version of one company's client, as received from `client.upserted`. */
@Entity({ name: 'clients' })
export class ClientEntity {
  @PrimaryColumn({ name: 'company_id', type: 'varchar', length: 64 })
  companyId: string;

  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 128 })
  clientId: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ name: 'first_name', type: 'varchar', length: 255, nullable: true })
  firstName: string | null;

  @Column({ name: 'last_name', type: 'varchar', length: 255, nullable: true })
  lastName: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  phone: string | null;

  @Column({ name: 'tax_number', type: 'varchar', length: 50, nullable: true })
  taxNumber: string | null;

  @Column({ name: 'account_number', type: 'varchar', length: 50, nullable: true })
  accountNumber: string | null;

  @Column({ type: 'jsonb', nullable: true })
  address: ClientAddress | null;

  /** The `updatedAt` of the version stored: older updates are not applied. */
  @Column({ name: 'source_updated_at', type: 'timestamptz' })
  sourceUpdatedAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
