import { Failure } from '@ledgerline/contracts';
import { ElementAnswer, Operation, OperationKind, OperationStore } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ManualSyncRun, nextResource, pageRead } from '../manual-sync/domain/manual-sync-run';
import { SyncProgressAnnouncer } from '../manual-sync/sync-progress.announcer';
import { afterPage, modifiedSince, PollResource } from './domain/poll-plan';
import { XeroInvoiceView, XeroPaymentView } from './domain/reconcile-invoice';
import { ReconciliationRecords } from './reconciliation.repository';
import { Reconciliation, SeenInvoice } from './reconciliation.service';
import { POLL_PAGE_SIZE, XeroReconciliationGateway } from './xero-reconciliation.gateway';

/**
 * One page of the incremental poll. A run's first page has no `since`: it reads from the checkpoint as it is when
 * the call goes out (an invoice raised while the operation waited has lowered it). Later pages carry the run's
 * `since` and the newest change seen so far.
 */
export interface PullBody {
  resource: PollResource;
  page: number;
  since?: string;
  highWater?: string;
  /** A manual sync (sync.requested) this page belongs to: its progress so far, announced after every page. */
  sync?: ManualSyncRun<PollResource>;
}

/** What a page held that matters: the invoices and payments Ledgerline raised, and how full the page was. */
export interface PullResult {
  resource: PollResource;
  since: string;
  page: number;
  count: number;
  newest?: string;
  hasMore?: boolean;
  invoices: XeroInvoiceView[];
  payments: XeroPaymentView[];
}

export const PULL_KIND = 'reconciliation.pull';
export const pullTarget = (resource: PollResource) => `poll:${resource}`;

/** Groups a page's records by invoice: each invoice is decided once per page, with its own payments. */
export function seenOnPage(result: Pick<PullResult, 'invoices' | 'payments'>): SeenInvoice[] {
  const seen = new Map<string, SeenInvoice>();
  const of = (id: string): SeenInvoice => {
    let entry = seen.get(id);
    if (!entry) seen.set(id, (entry = { xeroInvoiceId: id, observation: {} }));
    return entry;
  };
  for (const invoice of result.invoices) of(invoice.invoiceId).observation.invoice = invoice;
  for (const payment of result.payments) (of(payment.invoiceId).observation.payments ??= []).push(payment);
  return [...seen.values()];
}

/**
 * Reads one page of what changed in the company's organisation (If-Modified-Since, 1,000 a page) and applies what
 * concerns invoices Ledgerline raised. A full page records the next page's operation; the last one moves the
 * company's checkpoint. A read changes nothing at Xero, so a resend simply reads again.
 */
@Injectable()
export class ReconciliationPullKind implements OperationKind<PullBody, PullResult> {
  readonly name = PULL_KIND;
  readonly batchSize = 1;
  private readonly logger = new Logger(ReconciliationPullKind.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly records: ReconciliationRecords,
    private readonly gateway: XeroReconciliationGateway,
    private readonly reconciliation: Reconciliation,
    private readonly operations: OperationStore,
    private readonly progress: SyncProgressAnnouncer,
  ) {}

  async send(companyId: string, operations: Operation<PullBody>[]): Promise<ElementAnswer<PullResult>[]> {
    const answers: ElementAnswer<PullResult>[] = [];
    for (const { body } of operations) {
      const since = body.since ?? (await this.records.checkpoint(this.dataSource.manager, companyId, body.resource));
      if (!since) {
        answers.push({ ok: true, result: { resource: body.resource, since: new Date().toISOString(), page: body.page, count: 0, invoices: [], payments: [] } });
        continue;
      }
      const page = await this.gateway.changedPage(companyId, body.resource, modifiedSince(since), body.page);
      // Only what Ledgerline raised is kept: the stored answer stays small however busy the organisation is.
      const ours = await this.records.known(this.dataSource.manager, companyId, [...page.invoices.map((i) => i.invoiceId), ...page.payments.map((p) => p.invoiceId)]);
      answers.push({
        ok: true,
        result: {
          resource: body.resource,
          since,
          page: body.page,
          count: page.count,
          hasMore: page.hasMore,
          ...(page.newest ? { newest: page.newest } : {}),
          invoices: page.invoices.filter((i) => ours.has(i.invoiceId)),
          payments: page.payments.filter((p) => ours.has(p.invoiceId)),
        },
      });
    }
    return answers;
  }

  async lookUp(_companyId: string, operations: Operation<PullBody>[]): Promise<(PullResult | undefined)[]> {
    return operations.map(() => undefined);
  }

  async succeeded(tx: EntityManager, operation: Operation<PullBody>, result: PullResult): Promise<void> {
    const { companyId } = operation;
    const changed = await this.reconciliation.apply(tx, companyId, seenOnPage(result), { source: 'poll', operationId: operation.id, causationId: operation.causationId });
    const sync = operation.body.sync && pageRead(operation.body.sync, changed);
    if (sync) await this.progress.announce(tx, companyId, sync, 'running', operation);
    const next = afterPage({ resource: result.resource, since: result.since, page: result.page, highWater: operation.body.highWater }, {
      count: result.count,
      pageSize: POLL_PAGE_SIZE,
      newest: result.newest,
      hasMore: result.hasMore,
    });
    if (next.kind === 'next_page') {
      await this.operations.record(tx, this, { companyId, target: operation.target, body: { ...next.body, ...(sync ? { sync } : {}) }, correlationId: operation.correlationId, causationId: operation.causationId });
      return;
    }
    await this.records.advanceCheckpoint(tx, companyId, result.resource, result.since, next.highWater);
    if (!sync) return;
    const following = nextResource(sync);
    if (following) {
      const body: PullBody = { resource: following.resource, page: 1, sync: following.run };
      await this.operations.record(tx, this, { companyId, target: pullTarget(following.resource), body, correlationId: operation.correlationId, causationId: operation.causationId });
    } else {
      await this.progress.announce(tx, companyId, sync, 'done', operation);
    }
  }

  async failed(tx: EntityManager, operation: Operation<PullBody>, failure: Failure): Promise<void> {
    // The checkpoint has not moved: the next run reads the same changes again.
    this.logger.warn(`company ${operation.companyId}: the ${operation.body.resource} poll (page ${operation.body.page}) failed: ${failure.code} ${failure.messages.join('; ')}`);
    if (operation.body.sync) await this.progress.announce(tx, operation.companyId, operation.body.sync, 'failed', operation, failure);
  }

  /** A timer's run waits for the company to connect again; a manual sync fails now instead. */
  async waiting(tx: EntityManager, operation: Operation<PullBody>, failure: Failure): Promise<void> {
    await this.progress.notConnected(tx, operation, failure);
  }
}
