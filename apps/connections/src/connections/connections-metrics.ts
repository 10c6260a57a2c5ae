import { scrapedGauge } from '@ledgerline/messaging';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CONNECTION_STATUSES } from './entities/xero-connection.entity';

/**
 * `ledgerline_xero_connections{state}`: companies' current connections by state, read at scrape time (disconnected
 * ones are history and not counted; the partial index on current connections answers the count). An expired or
 * revoked connection means a company's work waits until someone reconnects it.
 */
@Injectable()
export class ConnectionsMetrics implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    scrapedGauge({ name: 'ledgerline_xero_connections', help: "Companies' current Xero connections by state", labelNames: ['state'] }, async (gauge) => {
      for (const state of CONNECTION_STATUSES) if (state !== 'disconnected') gauge.set({ state }, 0);
      const rows: { status: string; count: number }[] = await this.dataSource.query(
        `SELECT "status", count(*)::int AS "count" FROM "connections"."xero_connections" WHERE "status" <> 'disconnected' GROUP BY "status"`,
      );
      for (const row of rows) gauge.set({ state: row.status }, row.count);
    });
  }
}
