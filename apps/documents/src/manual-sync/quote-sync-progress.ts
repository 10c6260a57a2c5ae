import { Failure, SyncProgressState, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { Operation, OperationStore } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A manual quotes sync as it travels in its quote.poll operation's body: the id the requester chose. */
export interface QuoteSyncRun {
  syncId: string;
}

/** Cumulative counts of a run. */
export interface QuoteSyncCounts {
  pagesRead: number;
  recordsChanged: number;
  errors: number;
}

/** How far a manual quotes sync has got, as `sync.progress` through the outbox, in the caller's transaction. */
@Injectable()
export class QuoteSyncProgress {
  private readonly logger = new Logger(QuoteSyncProgress.name);

  constructor(
    private readonly publisher: EventPublisher,
    private readonly operations: OperationStore,
  ) {}

  async announce(
    tx: EntityManager,
    companyId: string,
    run: QuoteSyncRun,
    state: SyncProgressState,
    counts: QuoteSyncCounts,
    /** The run's operation or request: only its correlation and causation are taken. */
    origin: { correlationId: string; causationId: string | null },
    failure?: Failure,
  ): Promise<void> {
    const payload = {
      syncId: run.syncId,
      scope: 'quotes' as const,
      state,
      ...counts,
      ...(failure ? { errors: counts.errors + 1, failure: { code: failure.code, messages: failure.messages } } : {}),
    };
    await this.publisher.publish(tx, Topics.SyncProgress, companyId, payload, { correlationId: origin.correlationId, causationId: origin.causationId });
    if (state !== 'running')
      this.logger.log(`company ${companyId}: manual quotes sync ${run.syncId} ${state} after ${counts.pagesRead} page(s), ${counts.recordsChanged} quote(s) changed`);
  }

  /**
   * The poll of a manual sync found the company without a usable connection: the run fails now, with the engine's
   * failure, rather than waiting (the operator asked for a sync now, and may ask again once connected).
   */
  async notConnected(tx: EntityManager, operation: Operation<{ sync?: QuoteSyncRun }>, failure: Failure): Promise<void> {
    const { sync } = operation.body;
    if (!sync) return;
    await this.operations.withdraw(tx, operation.companyId, [operation.id], failure);
    await this.announce(tx, operation.companyId, sync, 'failed', { pagesRead: 0, recordsChanged: 0, errors: 0 }, operation, failure);
  }
}
