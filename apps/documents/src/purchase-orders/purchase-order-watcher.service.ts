import { OperationStore, OperationWorker } from '@ledgerline/xero-operations';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DocumentsConfig } from '../config/documents.config';
import { Tables } from '../database/tables';
import { PurchaseOrderPollKind } from './purchase-order-poll.kind';

/**
 * A bill raised from a purchase order in Xero sends no webhook, so it is found by polling: every
 * PURCHASE_ORDERS_POLL_INTERVAL_MS, each company with a purchase order not yet billed (DRAFT, SUBMITTED or AUTHORISED
 * in Xero) gets one purchase_order.poll operation, unless one is still unfinished.
 */
@Injectable()
export class PurchaseOrderWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PurchaseOrderWatcher.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly operations: OperationStore,
    private readonly worker: OperationWorker,
    private readonly pollKind: PurchaseOrderPollKind,
    @Inject(DocumentsConfig) private readonly config: DocumentsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.round().catch((error: unknown) => this.logger.warn(`purchase order watch round failed: ${(error as Error).message}`));
    }, this.config.PURCHASE_ORDERS_POLL_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Records one poll per watching company; returns how many were recorded. */
  async round(): Promise<number> {
    const recorded = await this.dataSource.transaction(async (tx) => {
      // One replica at a time decides a round, so two never record a poll for the same company.
      const [{ locked }]: { locked: boolean }[] = await tx.query(`SELECT pg_try_advisory_xact_lock(hashtext('documents.purchase_order_watch')) AS "locked"`);
      if (!locked) return 0;
      const companies: { company_id: string; modified_since: Date | null }[] = await tx.query(
        `SELECT d."company_id", w."modified_since" FROM (
           SELECT DISTINCT "company_id" FROM ${Tables.documents}
           WHERE "type" = 'purchase_order' AND "status" = 'created' AND "xero_status" IN ('DRAFT', 'SUBMITTED', 'AUTHORISED')
         ) d LEFT JOIN ${Tables.purchaseOrderWatch} w ON w."company_id" = d."company_id"`,
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
