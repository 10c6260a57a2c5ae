import { LedgerlineEvent, Topics } from '@ledgerline/contracts';
import { OperationStore, OperationWorker } from '@ledgerline/xero-operations';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PaymentsConfig } from '../config/payments.config';
import { PollResource } from './domain/poll-plan';
import { ReconciliationLookKind } from './reconciliation-look.kind';
import { pullTarget, ReconciliationPullKind } from './reconciliation-pull.kind';
import { ReconciliationRecords } from './reconciliation.repository';
import { Reconciliation } from './reconciliation.service';

type Origin = { correlationId: string; causationId?: string | null };

/**
 * When reconciliation looks at Xero: after a webhook (the invoice or payment it names, or a poll for a credit),
 * on the per-company poll timer, and from the start when a company connects. Every look is an operation
 * recorded in the caller's transaction; the engine makes the calls.
 */
@Injectable()
export class ReconciliationLooks implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReconciliationLooks.name);
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<number>;

  constructor(
    @Inject(PaymentsConfig) private readonly config: PaymentsConfig,
    private readonly dataSource: DataSource,
    private readonly records: ReconciliationRecords,
    private readonly reconciliation: Reconciliation,
    private readonly operations: OperationStore,
    private readonly worker: OperationWorker,
    private readonly pull: ReconciliationPullKind,
    private readonly look: ReconciliationLookKind,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.PAYMENTS_POLL_ENABLED) return;
    this.timer = setInterval(() => {
      this.ticking ??= this.pollAll().finally(() => (this.ticking = undefined));
    }, this.config.PAYMENTS_POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  /** invoice.created: the invoice is known, and the poll reads from no later than when it was raised. */
  async invoiceRaised(tx: EntityManager, event: LedgerlineEvent<typeof Topics.InvoiceCreated>): Promise<void> {
    if (await this.reconciliation.invoiceRaised(tx, event)) await this.records.lowerCheckpoints(tx, event.companyId, this.config.PAYMENTS_POLL_RESOURCES, event.occurredAt);
  }

  /** A Xero webhook event for the company: look at what it names (only invoices Ledgerline raised). */
  async webhookReceived(tx: EntityManager, event: LedgerlineEvent<typeof Topics.XeroWebhookReceived>): Promise<boolean> {
    const { companyId, payload } = event;
    const origin = { correlationId: event.correlationId, causationId: event.id };
    switch (payload.eventCategory) {
      case 'INVOICE': {
        if ((await this.records.known(tx, companyId, [payload.resourceId])).size === 0) return false;
        await this.operations.record(tx, this.look, { companyId, target: `invoice:${payload.resourceId.toLowerCase()}`, body: { invoiceId: payload.resourceId }, ...origin });
        return true;
      }
      case 'PAYMENT':
        await this.operations.record(tx, this.look, { companyId, target: `payment:${payload.resourceId.toLowerCase()}`, body: { paymentId: payload.resourceId }, ...origin });
        return true;
      case 'CREDITNOTE':
      case 'PREPAYMENT':
      case 'OVERPAYMENT': {
        // A credit names the invoices it is allocated to only in its own record; the poll from the checkpoint
        // reads those invoices (one call in the usual case) without a credit read per kind.
        let recorded = false;
        for (const resource of this.config.PAYMENTS_POLL_RESOURCES) recorded = (await this.requestPoll(tx, companyId, resource, origin, 'unless_queued')) || recorded;
        return recorded;
      }
      default:
        return false;
    }
  }

  /** The company connected (again): read from its earliest invoice, and resume looks that waited for it. */
  async connected(tx: EntityManager, companyId: string, origin: Origin): Promise<void> {
    await this.operations.resumeWaiting(tx, companyId);
    const earliest = await this.records.earliestRaised(tx, companyId);
    if (!earliest) return;
    await this.records.lowerCheckpoints(tx, companyId, this.config.PAYMENTS_POLL_RESOURCES, earliest);
    for (const resource of this.config.PAYMENTS_POLL_RESOURCES) await this.requestPoll(tx, companyId, resource, origin, 'unless_queued');
  }

  nudge(): void {
    this.worker.nudge();
  }

  /** One round of the timer: a poll for every connected company with invoices, unless its last one is unfinished. */
  async pollAll(): Promise<number> {
    let recorded = 0;
    try {
      for (const { companyId, resource } of await this.records.dueCheckpoints(this.dataSource.manager, this.config.PAYMENTS_POLL_RESOURCES)) {
        const correlationId = `poll-${resource.toLowerCase()}-${new Date().toISOString()}`;
        if (await this.dataSource.transaction((tx) => this.requestPoll(tx, companyId, resource, { correlationId }, 'unless_unfinished'))) recorded++;
      }
    } catch (error) {
      this.logger.error(`the poll round failed: ${(error as Error).message}`);
    }
    if (recorded > 0) this.worker.nudge();
    return recorded;
  }

  /**
   * Records the first page of a run. The timer skips a company whose previous run is unfinished; a webhook only
   * needs a run that has not started yet (one already reading may have read before the change).
   */
  private async requestPoll(tx: EntityManager, companyId: string, resource: PollResource, origin: Origin, rule: 'unless_unfinished' | 'unless_queued'): Promise<boolean> {
    // One replica at a time decides for a company's poll, so two timers never record two runs.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('payments.poll'), hashtext($1))`, [`${companyId}/${resource}`]);
    if (!(await this.records.connected(tx, companyId))) return false;
    const unfinished = await this.operations.unfinished(tx, companyId, this.pull.name, pullTarget(resource));
    if (rule === 'unless_unfinished' ? unfinished.length > 0 : unfinished.some((o) => o.status === 'pending' && o.batchId === null)) return false;
    await this.operations.record(tx, this.pull, { companyId, target: pullTarget(resource), body: { resource, page: 1 }, correlationId: origin.correlationId, causationId: origin.causationId ?? null });
    return true;
  }
}
