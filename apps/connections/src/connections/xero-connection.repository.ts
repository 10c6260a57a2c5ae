import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, FindOptionsWhere, In, IsNull, LessThan, Not } from 'typeorm';
import { XeroFootprint } from './domain/organisation-sharing';
import { SharedOrganisation } from './entities/shared-organisation.entity';
import { XeroConnection } from './entities/xero-connection.entity';

/** What a connection row stands on at Xero (its organisation, or those it may still choose among). */
export function footprintOf(connection: XeroConnection): XeroFootprint {
  const organisations =
    connection.status === 'pending_tenant'
      ? connection.grantedTenants.map(({ tenantId, xeroConnectionId }) => ({ tenantId, xeroConnectionId }))
      : connection.tenantId && connection.xeroConnectionId
        ? [{ tenantId: connection.tenantId, xeroConnectionId: connection.xeroConnectionId }]
        : [];
  return { connectionId: connection.id, companyId: connection.companyId, xeroUserId: connection.xeroUserId, authEventId: connection.authEventId, organisations };
}

/** Reads and locks connection rows; a company's current connection is its one row not `disconnected`. */
@Injectable()
export class XeroConnectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The company's current connection; with `lock`, the row stays locked (FOR UPDATE) until `tx` ends. */
  findCurrent(companyId: string, tx: EntityManager = this.dataSource.manager, lock = false): Promise<XeroConnection | null> {
    return tx.getRepository(XeroConnection).findOne({
      where: { companyId, status: Not('disconnected') },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** The company's most recent connection of any status (for the status of a disconnected company). */
  findLatest(companyId: string): Promise<XeroConnection | null> {
    return this.dataSource.getRepository(XeroConnection).findOne({ where: { companyId }, order: { createdAt: 'DESC' } });
  }

  /**
   * The other current connections (any company) that could stand on what `ending` stands on at Xero: the
   * same organisation, the same Xero user or grant, or a row whose user is unknown. Every current row when
   * `ending`'s own user is unknown, since revoking its grant could then remove anyone's connections.
   */
  async footprintsAround(ending: XeroFootprint, tx: EntityManager = this.dataSource.manager): Promise<XeroFootprint[]> {
    const base: FindOptionsWhere<XeroConnection> = { id: Not(ending.connectionId), status: Not('disconnected') };
    const tenants = [...new Set(ending.organisations.map((o) => o.tenantId))];
    const where: FindOptionsWhere<XeroConnection>[] =
      ending.xeroUserId === null
        ? [base]
        : [
            { ...base, xeroUserId: ending.xeroUserId },
            { ...base, xeroUserId: IsNull() },
            ...(tenants.length > 0 ? [{ ...base, tenantId: In(tenants) }] : []),
            ...(ending.authEventId ? [{ ...base, authEventId: ending.authEventId }] : []),
          ];
    return (await tx.getRepository(XeroConnection).find({ where })).map(footprintOf);
  }

  /** The current connections, of any company, on one organisation. */
  async currentOnOrganisation(tenantId: string, tx: EntityManager = this.dataSource.manager): Promise<XeroFootprint[]> {
    return (await tx.getRepository(XeroConnection).find({ where: { tenantId, status: Not('disconnected') } })).map(footprintOf);
  }

  /** Whether a super admin allowed several companies to connect this organisation. */
  sharingAllowed(tenantId: string, tx: EntityManager = this.dataSource.manager): Promise<boolean> {
    return tx.getRepository(SharedOrganisation).exists({ where: { tenantId } });
  }

  /** Connected companies whose refresh token was issued before `issuedBefore`, oldest first. */
  async dueForKeepAlive(issuedBefore: Date, limit: number): Promise<string[]> {
    const rows = await this.dataSource.getRepository(XeroConnection).find({
      select: { companyId: true },
      where: { status: 'connected', refreshTokenIssuedAt: LessThan(issuedBefore) },
      order: { refreshTokenIssuedAt: 'ASC' },
      take: limit,
    });
    return rows.map((row) => row.companyId);
  }
}
