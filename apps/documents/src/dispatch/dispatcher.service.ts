import { EventPublisher, retryWhileDatabaseUnavailable } from '@ledgerline/messaging';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DocumentsConfig } from '../config/documents.config';
import { ClaimedBatch, DispatchStore } from './dispatch.store';
import { DOCUMENT_SENDERS, DocumentSender } from './document-sender';
import { classifyCallFailure, DocumentOutcome } from './domain/batch-outcome';
import { planDispatch, resendDelayMs } from './domain/dispatch-plan';

const SHUTDOWN_GRACE_MS = 5_000;
/** Even when nudged constantly (a burst of requests), look for work at most this often. */
const MIN_PAUSE_MS = 10;

/**
 * The background loop that takes ready documents to Xero. Each round it resumes due batches (transient
 * failures, batches a dead replica left behind), then forms new batches per company as the plan says, up
 * to DISPATCH_CONCURRENCY calls in flight. Several replicas can run it at once.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(Dispatcher.name);
  private readonly senders: Map<string, DocumentSender>;
  private readonly inFlight = new Map<string, { leaseToken: string; done: Promise<void> }>();
  private running = false;
  private loop?: Promise<void>;
  private nudged = false;
  private wake?: () => void;
  private lastRenewal = Date.now();

  constructor(
    @Inject(DocumentsConfig) private readonly config: DocumentsConfig,
    private readonly store: DispatchStore,
    private readonly publisher: EventPublisher,
    @Inject(DOCUMENT_SENDERS) senders: DocumentSender[],
  ) {
    this.senders = new Map(senders.map((s) => [s.type, s]));
  }

  onApplicationBootstrap(): void {
    if (this.config.DISPATCH_ENABLED) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops forming batches, gives calls in flight a moment, and hands back the leases of the rest. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)));
    await Promise.race([Promise.allSettled([...this.inFlight.values()].map((p) => p.done)), grace]);
    clearTimeout(timer);
    const abandoned = [...this.inFlight.values()].map((p) => p.leaseToken);
    await this.store.release(abandoned).catch((error: Error) => this.logger.warn(`could not hand back ${abandoned.length} batch lease(s): ${error.message}`));
  }

  /** New work may be ready (a request arrived, a contact was synced). */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.renewLeases();
        await this.fill();
      } catch (error) {
        this.logger.error(`dispatch round failed: ${(error as Error).message}`);
      }
      await this.pause();
    }
  }

  private pause(): Promise<void> {
    const ms = this.nudged ? MIN_PAUSE_MS : this.config.DISPATCH_INTERVAL_MS;
    this.nudged = false;
    return new Promise((resolve) => {
      const finish = () => {
        if (this.wake === wake) this.wake = undefined;
        resolve();
      };
      let deadline = Date.now() + ms;
      let timer = setTimeout(finish, ms);
      const wake = () => {
        // A nudge shortens a long pause; a stream of nudges cannot stretch a short one.
        if (deadline - Date.now() <= MIN_PAUSE_MS) return;
        deadline = Date.now() + MIN_PAUSE_MS;
        clearTimeout(timer);
        timer = setTimeout(finish, MIN_PAUSE_MS);
      };
      this.wake = wake;
    });
  }

  private async fill(): Promise<void> {
    const { DISPATCH_CONCURRENCY, DISPATCH_LEASE_MS, DISPATCH_BATCH_SIZE, DISPATCH_LINGER_MS } = this.config;
    const resumed = await this.store.claimDue(DISPATCH_CONCURRENCY - this.inFlight.size, DISPATCH_LEASE_MS);
    resumed.forEach((batch) => this.launch(batch));

    for (const sender of this.senders.values()) {
      const slots = DISPATCH_CONCURRENCY - this.inFlight.size;
      if (slots <= 0 || !this.running) return;
      const { now, companies } = await this.store.readyCompanies(sender.type);
      const plan = planDispatch(companies, now, { batchSize: DISPATCH_BATCH_SIZE, lingerMs: DISPATCH_LINGER_MS, slots });
      for (const { companyId, size } of plan) {
        const batch = await this.store.formBatch(sender, companyId, size, DISPATCH_LEASE_MS);
        this.publisher.flush();
        if (batch) this.launch(batch);
      }
    }
  }

  private launch(batch: ClaimedBatch): void {
    const done = this.send(batch).finally(() => {
      this.inFlight.delete(batch.id);
      this.nudge();
    });
    this.inFlight.set(batch.id, { leaseToken: batch.leaseToken, done });
  }

  /** One Xero call for one batch; never throws (whatever goes wrong, the batch is resent later). */
  private async send(batch: ClaimedBatch): Promise<void> {
    const sender = this.senders.get(batch.documentType);
    const label = `batch ${batch.id} (${batch.documentType}, ${batch.companyId}, ${batch.documentIds.length} document(s), try ${batch.tries})`;
    try {
      if (!sender) throw new Error(`no sender for ${batch.documentType} documents`);
      let outcomes: DocumentOutcome[];
      try {
        const results = await sender.send(batch.companyId, batch.body, batch.idempotencyKey);
        const currencies = batch.body.map((element) => String((element as { currencyCode?: unknown }).currencyCode ?? ''));
        outcomes = results.map((result, index) => sender.outcome(result, currencies[index]));
      } catch (error) {
        const failure = classifyCallFailure(error);
        if (failure.kind === 'retry') {
          await this.postpone(batch, label, failure);
          return;
        }
        outcomes = batch.documentIds.map(() => ({ kind: 'failed' as const, code: failure.code, messages: failure.messages }));
      }
      // Xero has answered: a database that is restarting just then must not make us forget the answer.
      const applied = await retryWhileDatabaseUnavailable(() => this.store.complete(batch, outcomes), {
        giveUpAt: Date.now() + this.config.DISPATCH_LEASE_MS,
        stopping: () => !this.running,
      });
      this.publisher.flush();
      if (!applied) {
        this.logger.warn(`${label}: the lease passed to another replica before the answer was recorded; it records its own`);
        return;
      }
      const created = outcomes.filter((o) => o.kind === 'created').length;
      this.logger.log(`${label}: ${created} created, ${outcomes.length - created} failed`);
    } catch (error) {
      await this.postpone(batch, label, classifyCallFailure(error)).catch((e: Error) => this.logger.error(`${label}: could not postpone: ${e.message}; the lease will expire`));
    }
  }

  private async postpone(batch: ClaimedBatch, label: string, failure: { code: string; messages: string[] }): Promise<void> {
    const delay = resendDelayMs(batch.tries, this.config.DISPATCH_RETRY_BASE_MS, this.config.DISPATCH_RETRY_MAX_MS);
    await this.store.postpone(batch, { code: failure.code, messages: failure.messages }, delay);
    this.logger.warn(`${label}: ${failure.code} (${failure.messages.join('; ')}); resending in ${delay} ms with the same key`);
  }

  private async renewLeases(): Promise<void> {
    if (Date.now() - this.lastRenewal < this.config.DISPATCH_LEASE_MS / 3) return;
    this.lastRenewal = Date.now();
    await this.store.renew([...this.inFlight.values()].map((p) => p.leaseToken), this.config.DISPATCH_LEASE_MS);
  }
}
