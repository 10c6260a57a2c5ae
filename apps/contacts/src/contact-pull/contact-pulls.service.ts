import { LedgerlineEvent, Topics } from '@ledgerline/contracts';
import { OperationStore, OperationWorker } from '@ledgerline/xero-operations';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ContactsConfig } from '../config/contacts.config';
import { ContactLookKind } from './contact-look.kind';
import { ContactPullKind, PULL_TARGET } from './contact-pull.kind';
import { ContactPullRecords } from './contact-pull.repository';

type Origin = { correlationId: string; causationId?: string | null };

/**
 * When contacts are read from Xero: the contacts a CONTACT webhook names (looked up by id), every
 * CONTACTS_POLL_INTERVAL_MS for each connected company (polling is the source of truth, so a lost webhook costs
 * minutes), when a company connects (a first import reads the whole organisation), and on a manual sync. Every read
 * is an operation recorded in the caller's transaction; the engine makes the calls.
 */
@Injectable()
export class ContactPulls implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ContactPulls.name);
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<number>;

  constructor(
    @Inject(ContactsConfig) private readonly config: ContactsConfig,
    private readonly dataSource: DataSource,
    private readonly records: ContactPullRecords,
    private readonly operations: OperationStore,
    private readonly worker: OperationWorker,
    private readonly pull: ContactPullKind,
    private readonly look: ContactLookKind,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.pollOnce(), this.config.CONTACTS_POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  pollOnce(): Promise<number> {
    this.ticking ??= this.pollAll().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** The company connected (again): its syncs that waited go on, and its contacts are read (all of them the first time). */
  async connected(tx: EntityManager, event: LedgerlineEvent<typeof Topics.XeroConnectionConnected>): Promise<void> {
    await this.records.connected(tx, event.companyId, true);
    await this.operations.resumeWaiting(tx, event.companyId);
    await this.requestPull(tx, event.companyId, { correlationId: event.correlationId, causationId: event.id }, 'unless_queued');
  }

  async disconnected(tx: EntityManager, companyId: string): Promise<void> {
    await this.records.connected(tx, companyId, false);
  }

  /** A CONTACT webhook event: look at that contact (the engine batches a company's looks by 50 ids a call). */
  async webhookReceived(tx: EntityManager, event: LedgerlineEvent<typeof Topics.XeroWebhookReceived>): Promise<boolean> {
    if (event.payload.eventCategory !== 'CONTACT') return false;
    const contactId = event.payload.resourceId.toLowerCase();
    await this.operations.record(tx, this.look, {
      companyId: event.companyId,
      target: `contact:${contactId}`,
      body: { contactId, source: 'webhook' },
      correlationId: event.correlationId,
      causationId: event.id,
    });
    return true;
  }

  /** The console's manual sync: a full incremental pull now, reporting `sync.progress` after each page. */
  async syncRequested(tx: EntityManager, event: LedgerlineEvent<typeof Topics.SyncRequested>): Promise<boolean> {
    if (event.payload.scope !== 'contacts') return false;
    await this.operations.record(tx, this.pull, {
      companyId: event.companyId,
      target: PULL_TARGET,
      body: { page: 1, syncId: event.payload.syncId, progress: { pagesRead: 0, recordsChanged: 0, errors: 0 } },
      correlationId: event.correlationId,
      causationId: event.id,
    });
    return true;
  }

  nudge(): void {
    this.worker.nudge();
  }

  private async pollAll(): Promise<number> {
    let recorded = 0;
    try {
      for (const companyId of await this.records.connectedCompanies(this.dataSource.manager)) {
        const correlationId = `poll-contacts-${new Date().toISOString()}`;
        if (await this.dataSource.transaction((tx) => this.requestPull(tx, companyId, { correlationId }, 'unless_unfinished'))) recorded++;
      }
    } catch (error) {
      this.logger.error(`the contacts poll round failed (tried again next round): ${(error as Error).message}`);
    }
    if (recorded > 0) this.worker.nudge();
    return recorded;
  }

  /** The timer skips a company whose previous run is unfinished; a connect only needs a run that has not started yet. */
  private async requestPull(tx: EntityManager, companyId: string, origin: Origin, rule: 'unless_unfinished' | 'unless_queued'): Promise<boolean> {
    // One replica at a time decides for a company's poll, so two timers never record two runs.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('contacts.poll'), hashtext($1))`, [companyId]);
    if (!(await this.records.isConnected(tx, companyId))) return false;
    const unfinished = await this.operations.unfinished(tx, companyId, this.pull.name, PULL_TARGET);
    if (rule === 'unless_unfinished' ? unfinished.length > 0 : unfinished.some((o) => o.status === 'pending' && o.batchId === null)) return false;
    await this.operations.record(tx, this.pull, {
      companyId,
      target: PULL_TARGET,
      body: { page: 1 },
      correlationId: origin.correlationId,
      causationId: origin.causationId ?? null,
    });
    return true;
  }
}
