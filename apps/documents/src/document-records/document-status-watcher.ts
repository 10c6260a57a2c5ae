import { DocumentType } from '@ledgerline/contracts';
import { OperationKind, OperationStore, OperationWorker } from '@ledgerline/xero-operations';
import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Tables } from '../database/tables';

/** What a watcher polls for: documents of one type in some Xero statuses, with a per-company mark in its own table. */
export interface WatchedDocuments {
  /** For the log and the advisory lock that lets one replica decide a round. */
  name: string;
  type: DocumentType;
  xeroStatuses: readonly string[];
  /** The table holding each company's `modified_since` mark. */
  markTable: string;
  intervalMs: number;
}

/**
 * Xero sends no webhook for some changes (a quote's answer, a bill raised from a purchase order), so they are found
 * by polling: every interval, each company with a document of the watched type in a watched status gets one poll
 * operation from its stored mark, unless one is still unfinished. The engine sends it; the kind announces what changed.
 */
export abstract class DocumentStatusWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private timer: NodeJS.Timeout | undefined;

  protected constructor(
    private readonly dataSource: DataSource,
    private readonly operations: OperationStore,
    private readonly worker: OperationWorker,
    private readonly pollKind: OperationKind<{ modifiedSince: number | null }>,
    private readonly watched: WatchedDocuments,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.round().catch((error: unknown) => this.logger.warn(`${this.watched.name} round failed: ${(error as Error).message}`));
    }, this.watched.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Records one poll per watching company; returns how many were recorded. */
  async round(): Promise<number> {
    const { name, type, xeroStatuses, markTable } = this.watched;
    const recorded = await this.dataSource.transaction(async (tx) => {
      // One replica at a time decides a round, so two never record a poll for the same company.
      const [{ locked }]: { locked: boolean }[] = await tx.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS "locked"`, [`documents.${name}`]);
      if (!locked) return 0;
      const companies: { company_id: string; modified_since: Date | null }[] = await tx.query(
        `SELECT d."company_id", w."modified_since" FROM (
           SELECT DISTINCT "company_id" FROM ${Tables.documents} WHERE "type" = $1 AND "status" = 'created' AND "xero_status" = ANY($2)
         ) d LEFT JOIN ${markTable} w ON w."company_id" = d."company_id"`,
        [type, xeroStatuses],
      );
      let count = 0;
      for (const company of companies) {
        if ((await this.operations.unfinished(tx, company.company_id, this.pollKind.name, company.company_id)).length > 0) continue;
        await this.operations.record(tx, this.pollKind, {
          companyId: company.company_id,
          target: company.company_id,
          body: { modifiedSince: company.modified_since === null ? null : new Date(company.modified_since).getTime() },
          correlationId: randomUUID(),
        });
        count += 1;
      }
      return count;
    });
    if (recorded > 0) this.worker.nudge();
    return recorded;
  }
}
