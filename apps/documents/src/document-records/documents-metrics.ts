import { DOCUMENT_TYPES } from '@ledgerline/contracts';
import { scrapedGauge } from '@ledgerline/messaging';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DOCUMENT_STATUSES } from './domain/document-status';

/** Created and cancelled documents are done; the rest wait for something or need someone (failed). */
const WATCHED_STATUSES = DOCUMENT_STATUSES.filter((status) => status !== 'created' && status !== 'cancelled');

/**
 * `ledgerline_documents{type,status}`: documents not yet in Xero (waiting for a contact or a connection, pending)
 * and those that failed, read at scrape time with one grouped count. Every type and status is reported, zero
 * included.
 */
@Injectable()
export class DocumentsMetrics implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    scrapedGauge(
      { name: 'ledgerline_documents', help: 'Documents not yet created in Xero, and failed ones, by type and status', labelNames: ['type', 'status'] },
      async (gauge) => {
        for (const type of DOCUMENT_TYPES) for (const status of WATCHED_STATUSES) gauge.set({ type, status }, 0);
        const rows: { type: string; status: string; count: number }[] = await this.dataSource.query(
          `SELECT "type", "status", count(*)::int AS "count" FROM "documents"."documents" WHERE "status" = ANY($1::text[]) GROUP BY "type", "status"`,
          [WATCHED_STATUSES],
        );
        for (const row of rows) gauge.set({ type: row.type, status: row.status }, row.count);
      },
    );
  }
}
