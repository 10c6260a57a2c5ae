import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';

export type TenantLinkStatus = 'connected' | 'disconnected' | 'expired';

/**
 * Which company is connected to which Xero organisation, as the connections service announces it. A company
 * has one current connection; several companies may share one organisation.
 */
@Injectable()
export class TenantLinks {
  /** The company's connection is now this one, to this organisation (a reconnect replaces the old one). */
  async connected(tx: EntityManager, companyId: string, connectionId: string, tenantId: string): Promise<void> {
    await tx.query(
      `INSERT INTO ${Tables.tenantLinks} ("company_id", "tenant_id", "connection_id", "status", "updated_at")
       VALUES ($1, $2, $3, 'connected', now())
       ON CONFLICT ("company_id") DO UPDATE SET "tenant_id" = EXCLUDED."tenant_id", "connection_id" = EXCLUDED."connection_id", "status" = 'connected', "updated_at" = now()`,
      [companyId, tenantId.toLowerCase(), connectionId],
    );
  }

  /**
   * The connection ended. Only that connection: news about an older one (a late expiry after a reconnect)
   * must not cut the company off from its current organisation. False when it was not the current one.
   */
  async ended(tx: EntityManager, companyId: string, connectionId: string, status: Exclude<TenantLinkStatus, 'connected'>): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `WITH ended AS (
         UPDATE ${Tables.tenantLinks} SET "status" = $3, "updated_at" = now()
         WHERE "company_id" = $1 AND "connection_id" = $2 RETURNING "company_id"
       )
       SELECT "company_id" FROM ended`,
      [companyId, connectionId, status],
    );
    return rows.length > 0;
  }

  /** Every company connected to the organisation now, in a stable order. */
  async companiesOf(tx: EntityManager, tenantId: string): Promise<string[]> {
    const rows: { company_id: string }[] = await tx.query(
      `SELECT "company_id" FROM ${Tables.tenantLinks} WHERE "tenant_id" = $1 AND "status" = 'connected' ORDER BY "company_id"`,
      [tenantId.toLowerCase()],
    );
    return rows.map((row) => row.company_id);
  }
}
