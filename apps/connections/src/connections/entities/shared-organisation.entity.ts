import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A Xero organisation a super admin allowed several companies to connect at once. */
@Entity('shared_organisations')
export class SharedOrganisation {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column({ name: 'allowed_by', type: 'text' })
  allowedBy: string;

  @Column({ name: 'allowed_at', type: 'timestamptz' })
  allowedAt: Date;
}
