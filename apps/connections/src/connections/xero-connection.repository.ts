import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, LessThan, Not } from 'typeorm';
import { XeroConnection } from './entities/xero-connection.entity';

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

  /** Whether another company's current connection came from the same Xero grant (so revoking it would cut them off). */
  async grantSharedWithOthers(connection: XeroConnection, tx: EntityManager = this.dataSource.manager): Promise<boolean> {
    if (!connection.authEventId) return false;
    return tx.getRepository(XeroConnection).exists({
      where: { authEventId: connection.authEventId, id: Not(connection.id), status: Not('disconnected') },
    });
  }

  /** Whether another current connection uses this Xero organisation connection (or tenant). */
  async organisationSharedWithOthers(connectionId: string, xero: { xeroConnectionId: string; tenantId: string }, tx: EntityManager = this.dataSource.manager): Promise<boolean> {
    const repository = tx.getRepository(XeroConnection);
    const others = { id: Not(connectionId), status: In(['connected', 'expired', 'revoked'] as const) };
    return (
      (await repository.exists({ where: { ...others, xeroConnectionId: xero.xeroConnectionId } })) ||
      (await repository.exists({ where: { ...others, tenantId: xero.tenantId } }))
    );
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
