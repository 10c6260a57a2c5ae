import { Failure, SyncProgressState, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { Operation, OperationStore } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ManualSyncRun, progressOf } from './domain/manual-sync-run';

/** The run's operation or request: only its correlation and causation are taken (an operation's own id is not an event id). */
type Origin = { correlationId: string; causationId: string | null };

/** How far a manual payments sync has got, as `sync.progress` through the outbox, in the caller's transaction. */
@Injectable()
export class SyncProgressAnnouncer {
  private readonly logger = new Logger(SyncProgressAnnouncer.name);

  constructor(
    private readonly publisher: EventPublisher,
    private readonly operations: OperationStore,
  ) {}

  async announce(tx: EntityManager, companyId: string, run: ManualSyncRun, state: SyncProgressState, origin: Origin, failure?: Failure): Promise<void> {
    await this.publisher.publish(tx, Topics.SyncProgress, companyId, progressOf('payments', run, state, failure), {
      correlationId: origin.correlationId,
      causationId: origin.causationId,
    });
    if (state !== 'running')
      this.logger.log(`company ${companyId}: manual payments sync ${run.syncId} ${state} after ${run.pagesRead} page(s), ${run.recordsChanged} record(s) changed`);
  }

  /**
   * A page of a manual sync found the company without a usable connection: the run fails now, with the engine's
   * failure, rather than waiting (the operator asked for a sync now, and may ask again once connected).
   */
  async notConnected(tx: EntityManager, operation: Operation<{ sync?: ManualSyncRun }>, failure: Failure): Promise<void> {
    const { sync } = operation.body;
    if (!sync) return;
    await this.operations.withdraw(tx, operation.companyId, [operation.id], failure);
    await this.announce(tx, operation.companyId, sync, 'failed', operation, failure);
  }
}
