import { assertSchemaName, MESSAGING_OPTIONS, MessagingOptions, scrapedGauge } from '@ledgerline/messaging';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OPERATION_KINDS, OperationKind } from './operation-kind';

/** The statuses of operations not yet done; finished ones are history (the sync log), not something to watch. */
const OPEN_STATUSES = ['pending', 'waiting_connection'] as const;

/**
 * `ledgerline_xero_operations{kind,status}`: the operations still to reach Xero, read at scrape time with one
 * grouped count over the open rows (the engine's partial indexes cover them). Every kind and open status is
 * reported, zero included, so an alert can tell "none waiting" from "no data".
 */
@Injectable()
export class OperationsMetrics implements OnModuleInit {
  private readonly table: string;

  constructor(
    @Inject(MESSAGING_OPTIONS) options: MessagingOptions,
    private readonly dataSource: DataSource,
    @Inject(OPERATION_KINDS) private readonly kinds: OperationKind[],
  ) {
    this.table = `"${assertSchemaName(options.schema)}"."xero_operations"`;
  }

  onModuleInit(): void {
    scrapedGauge(
      { name: 'ledgerline_xero_operations', help: 'Xero operations not yet done, by kind and status (pending, waiting_connection)', labelNames: ['kind', 'status'] },
      async (gauge) => {
        for (const kind of this.kinds) for (const status of OPEN_STATUSES) gauge.set({ kind: kind.name, status }, 0);
        const rows: { kind: string; status: string; count: number }[] = await this.dataSource.query(
          `SELECT "kind", "status", count(*)::int AS "count" FROM ${this.table} WHERE "status" IN ('pending', 'waiting_connection') GROUP BY "kind", "status"`,
        );
        for (const row of rows) gauge.set({ kind: row.kind, status: row.status }, row.count);
      },
    );
  }
}
