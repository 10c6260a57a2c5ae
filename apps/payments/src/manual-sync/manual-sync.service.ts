import { LedgerlineEvent, Topics } from '@ledgerline/contracts';
import { OperationStore } from '@ledgerline/xero-operations';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PaymentsConfig } from '../config/payments.config';
import { pullTarget, ReconciliationPullKind } from '../reconciliation/reconciliation-pull.kind';
import { ReconciliationRecords } from '../reconciliation/reconciliation.repository';
import { nextResource, startRun } from './domain/manual-sync-run';
import { SyncProgressAnnouncer } from './sync-progress.announcer';

/**
 * sync.requested for payments: the company's reconciliation pull runs now, from its stored checkpoint, one resource
 * after the other. The run travels in the pull operations' bodies, and each page announces its progress.
 */
@Injectable()
export class ManualSyncs {
  constructor(
    @Inject(PaymentsConfig) private readonly config: PaymentsConfig,
    private readonly records: ReconciliationRecords,
    private readonly operations: OperationStore,
    private readonly pull: ReconciliationPullKind,
    private readonly progress: SyncProgressAnnouncer,
  ) {}

  /** Returns whether a pull was recorded (so the engine is nudged). Other scopes are other services'. */
  async requested(tx: EntityManager, event: LedgerlineEvent<typeof Topics.SyncRequested>): Promise<boolean> {
    const { companyId, payload } = event;
    if (payload.scope !== 'payments') return false;
    const origin = { correlationId: event.correlationId, causationId: event.id };
    const first = nextResource(startRun(payload.syncId, [...this.config.PAYMENTS_POLL_RESOURCES]));
    if (!first) throw new Error('PAYMENTS_POLL_RESOURCES is empty: a manual sync has nothing to read');
    if (!(await this.records.connected(tx, companyId))) {
      await this.progress.announce(tx, companyId, first.run, 'failed', origin, {
        code: 'NOT_CONNECTED',
        messages: ['The company has no Xero connection; connect it, then sync again'],
      });
      return false;
    }
    await this.operations.record(tx, this.pull, {
      companyId,
      target: pullTarget(first.resource),
      body: { resource: first.resource, page: 1, sync: first.run },
      ...origin,
    });
    return true;
  }
}
