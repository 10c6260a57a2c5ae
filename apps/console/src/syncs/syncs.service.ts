import { Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConsoleConfig } from '../config/console.config';
import { RequestedScope, scopesOf } from './domain/sync-request';
import { SyncsErrorCode, SyncsException } from './syncs.exception';
import { SyncEventView, SyncsStore, SyncView } from './syncs.store';

/** Starting manual syncs (lock, then `sync.requested` through the outbox, in one transaction) and reading their progress. */
@Injectable()
export class SyncsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: SyncsStore,
    private readonly publisher: EventPublisher,
    private readonly config: ConsoleConfig,
  ) {}

  async start(companyId: string, requested: RequestedScope, requestedBy: string): Promise<SyncView[]> {
    const started = await this.dataSource.transaction(async (tx) => {
      const result = await this.store.start(tx, companyId, scopesOf(requested), requestedBy, this.config.CONSOLE_SYNC_LEASE_MS, randomUUID);
      if ('running' in result) {
        const running = result.running;
        // Thrown inside the transaction: the locks and syncs taken for the other scopes go back too.
        throw new SyncsException(SyncsErrorCode.Running, `A ${running.scope} sync is already running for ${companyId}: ${running.syncId}, requested at ${running.requestedAt}`, [
          `syncId: ${running.syncId}`,
          `scope: ${running.scope}`,
          `state: ${running.state}`,
        ]);
      }
      for (const sync of result.started) {
        await this.publisher.publish(tx, Topics.SyncRequested, companyId, { syncId: sync.syncId, scope: sync.scope }, { correlationId: sync.syncId });
      }
      return result.started;
    });
    this.publisher.flush();
    return started;
  }

  async get(companyId: string, syncId: string): Promise<SyncView> {
    await this.dataSource.transaction((tx) => this.store.expire(tx, this.config.CONSOLE_SYNC_LEASE_MS, { syncId }));
    const sync = await this.store.find(this.dataSource.manager, companyId, syncId);
    if (!sync) throw new SyncsException(SyncsErrorCode.NotFound, `No sync ${syncId} for ${companyId}`);
    return sync;
  }

  list(companyId: string): Promise<SyncView[]> {
    return this.store.list(this.dataSource.manager, companyId, 50);
  }

  /** The sync's events after `afterId`; a lease that ran out is ended first, so a silent worker's stream still finishes. */
  async eventsAfter(companyId: string, syncId: string, afterId: number): Promise<SyncEventView[]> {
    await this.dataSource.transaction((tx) => this.store.expire(tx, this.config.CONSOLE_SYNC_LEASE_MS, { syncId }));
    return this.store.eventsAfter(this.dataSource.manager, companyId, syncId, afterId);
  }
}
