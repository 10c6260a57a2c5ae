import { Failure } from '@ledgerline/contracts';
import { contextOfTraceParent, EventPublisher, retryWhileDatabaseUnavailable } from '@ledgerline/messaging';
import { idempotencyKey, meterXeroCalls } from '@ledgerline/xero-client';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Link, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { classifyCallFailure, mayHaveReachedXero } from './domain/call-failure';
import { batchKeyParts, planDispatch, resendDelayMs } from './domain/dispatch-plan';
import { mustLookUpBeforeResend } from './domain/resend-policy';
import { OPERATIONS_SETTINGS, OperationsEngineSettings } from './operations.config';
import { ElementAnswer, Operation, OPERATION_KINDS, OperationKind } from './operation-kind';
import { AttemptRecord, ClaimedBatch, OperationStore } from './operation.store';

const SHUTDOWN_GRACE_MS = 5_000;
/** Even when nudged constantly (a burst of requests), look for work at most this often. */
const MIN_PAUSE_MS = 10;
const PRUNE_EVERY_MS = 3_600_000;
const tracer = trace.getTracer('@ledgerline/xero-operations');

/** Runs one kind's call and measures it: the calls it used, Xero's last status and its duration. */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ ok: true; value: T; attempt: Omit<AttemptRecord, 'outcome'> } | { ok: false; error: unknown; attempt: Omit<AttemptRecord, 'outcome'> }> {
  const startedAt = new Date();
  const { tally, done } = meterXeroCalls(work);
  const stats = () => ({ startedAt, durationMs: Date.now() - startedAt.getTime(), callsUsed: tally.calls, xeroStatus: tally.lastStatus });
  try {
    const value = await done;
    return { ok: true, value, attempt: stats() };
  } catch (error) {
    return { ok: false, error, attempt: stats() };
  }
}

/**
 * The background loop that takes recorded operations to Xero. Each round it resumes due batches (transient
 * failures, batches a dead replica left behind), then forms new batches per company and kind as the plan
 * says, up to OPERATIONS_CONCURRENCY calls in flight. Several replicas can run it at once.
 */
@Injectable()
export class OperationWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OperationWorker.name);
  private readonly kinds: Map<string, OperationKind>;
  private readonly inFlight = new Map<string, { leaseToken: string; done: Promise<void> }>();
  private running = false;
  private loop?: Promise<void>;
  private nudged = false;
  private wake?: () => void;
  private lastRenewal = Date.now();
  private lastPrune = 0;

  constructor(
    @Inject(OPERATIONS_SETTINGS) private readonly settings: OperationsEngineSettings,
    private readonly store: OperationStore,
    private readonly publisher: EventPublisher,
    @Inject(OPERATION_KINDS) kinds: OperationKind[],
  ) {
    this.kinds = new Map(kinds.map((k) => [k.name, k]));
  }

  onApplicationBootstrap(): void {
    if (this.settings.OPERATIONS_WORKER_ENABLED) this.start();
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

  /** New work may be ready (an operation was recorded, a company connected). */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.renewLeases();
        await this.fill();
        await this.prune();
      } catch (error) {
        this.logger.error(`operations round failed: ${(error as Error).message}`);
      }
      await this.pause();
    }
  }

  private pause(): Promise<void> {
    const ms = this.nudged ? MIN_PAUSE_MS : this.settings.OPERATIONS_INTERVAL_MS;
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
    const { OPERATIONS_CONCURRENCY, OPERATIONS_LEASE_MS, OPERATIONS_LINGER_MS } = this.settings;
    const resumed = await this.store.claimDue(OPERATIONS_CONCURRENCY - this.inFlight.size, OPERATIONS_LEASE_MS);
    resumed.forEach((batch) => this.launch(batch, true));

    if (OPERATIONS_CONCURRENCY - this.inFlight.size <= 0 || !this.running) return;
    // One look at every kind's ready work per round, however many kinds the service registers.
    const { now, byKind } = await this.store.readyCompanies();
    for (const kind of this.kinds.values()) {
      const slots = OPERATIONS_CONCURRENCY - this.inFlight.size;
      if (slots <= 0 || !this.running) return;
      const companies = byKind.get(kind.name);
      if (!companies) continue;
      const lingerMs = kind.batchSize > 1 ? (kind.lingerMs ?? OPERATIONS_LINGER_MS) : 0;
      const plan = planDispatch(companies, now, { batchSize: kind.batchSize, lingerMs, slots });
      for (const { companyId, size } of plan) {
        // One company's batch that cannot be formed must not hold up the others.
        const batch = await this.store.formBatch(kind.name, companyId, size, OPERATIONS_LEASE_MS).catch((error: Error) => {
          this.logger.error(`could not form a ${kind.name} batch for ${companyId}: ${error.message}`);
          return null;
        });
        if (batch) this.launch(batch, false);
      }
    }
  }

  private launch(batch: ClaimedBatch, resend: boolean): void {
    const done = this.traced(batch, () => this.process(batch, resend)).finally(() => {
      this.inFlight.delete(batch.id);
      this.publisher.flush();
      this.nudge();
    });
    this.inFlight.set(batch.id, { leaseToken: batch.leaseToken, done });
  }

  /**
   * Runs a batch's trip to Xero as a span of the trace its first operation was recorded in, linked to the
   * traces of the others (a batch carries operations from many requests). The HTTP spans of the calls, and
   * the outcome events, are part of that trace; each operation's outcome also continues its own trace.
   */
  private traced(batch: ClaimedBatch, work: () => Promise<void>): Promise<void> {
    const [first, ...others] = batch.operations;
    const links: Link[] = others
      .filter((operation) => operation.traceParent)
      .map((operation) => trace.getSpanContext(contextOfTraceParent(operation.traceParent)))
      .filter((spanContext) => spanContext !== undefined)
      .map((spanContext) => ({ context: spanContext }));
    const attributes = {
      'ledgerline.company_id': batch.companyId,
      'ledgerline.operation.kind': batch.kind,
      'ledgerline.operation.count': batch.operations.length,
      'ledgerline.batch.id': batch.id,
    };
    return tracer.startActiveSpan(`xero ${batch.kind}`, { kind: SpanKind.INTERNAL, links, attributes }, contextOfTraceParent(first?.traceParent), async (span) => {
      try {
        await work();
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  private label(batch: ClaimedBatch): string {
    return `batch ${batch.id} (${batch.kind}, ${batch.companyId}, ${batch.operations.length} operation(s), try ${batch.tries})`;
  }

  /** One batch to Xero; never throws (whatever goes wrong, the batch is resent later). */
  private async process(batch: ClaimedBatch, resend: boolean): Promise<void> {
    const kind = this.kinds.get(batch.kind);
    try {
      if (!kind) throw new Error(`no operation kind ${batch.kind} is registered in this service`);
      let operations = batch.operations;
      let key = batch.idempotencyKey;
      if (resend) {
        const remaining = await this.lookUpIfNeeded(batch, kind);
        if (remaining === null) return;
        if (remaining !== undefined) ({ operations, idempotencyKey: key } = remaining);
        if (!(await this.store.beginResend(batch, remaining))) return this.leaseLost(batch);
        batch = { ...batch, operations, idempotencyKey: key };
      }
      await this.send(batch, kind);
    } catch (error) {
      const { failure } = classifyCallFailure(error);
      const attempt = { startedAt: new Date(), durationMs: 0, callsUsed: 0, outcome: 'retrying' as const, failure };
      await this.postpone(batch, kind, failure, true, attempt).catch((e: Error) =>
        this.logger.error(`${this.label(batch)}: could not postpone: ${e.message}; the lease will expire`),
      );
    }
  }

  /**
   * Past the key's window, members an earlier send may have made are looked up in Xero first: those found are
   * recorded as succeeded, and only the rest are resent, under a new key. Returns the rest (undefined when no
   * look-up was needed, null when nothing is left to send or the attempt was postponed).
   */
  private async lookUpIfNeeded(batch: ClaimedBatch, kind: OperationKind): Promise<{ operations: Operation<unknown>[]; idempotencyKey: string } | undefined | null> {
    if (!mustLookUpBeforeResend(batch, batch.claimedAt, this.settings.OPERATIONS_KEY_WINDOW_MS)) return undefined;
    const looked = await measured(() => kind.lookUp(batch.companyId, batch.operations));
    if (!looked.ok) {
      const { failure } = classifyCallFailure(looked.error);
      await this.postpone(batch, kind, failure, true, { ...looked.attempt, outcome: 'retrying', failure });
      return null;
    }
    const found: { operation: Operation<unknown>; answer: ElementAnswer<unknown> }[] = [];
    const rest: Operation<unknown>[] = [];
    batch.operations.forEach((operation, index) => {
      const result = looked.value[index];
      if (result === undefined) rest.push(operation);
      else found.push({ operation, answer: { ok: true, result } });
    });
    this.logger.warn(`${this.label(batch)}: the key may be forgotten by Xero; ${found.length} found in Xero, ${rest.length} to send again`);
    if (found.length > 0) {
      const applied = await this.record(() =>
        this.store.complete(
          batch,
          kind,
          found.map((f) => f.operation),
          found.map((f) => f.answer),
          { ...looked.attempt, outcome: 'found_in_xero' },
          { close: rest.length === 0, found: true },
        ),
      );
      if (!applied) {
        this.leaseLost(batch);
        return null;
      }
    }
    if (rest.length === 0) return null;
    return {
      operations: rest,
      idempotencyKey: idempotencyKey(
        ...batchKeyParts(
          batch.companyId,
          batch.kind,
          batch.id,
          rest.map((o) => o.id),
        ),
        `look-up-${batch.lookUps + 1}`,
      ),
    };
  }

  private async send(batch: ClaimedBatch, kind: OperationKind): Promise<void> {
    const label = this.label(batch);
    const sent = await measured(() => kind.send(batch.companyId, batch.operations, batch.idempotencyKey));
    if (!sent.ok) {
      const { action, failure } = classifyCallFailure(sent.error);
      if (action === 'retry') {
        await this.postpone(batch, kind, failure, mayHaveReachedXero(failure), { ...sent.attempt, outcome: 'retrying', failure });
        return;
      }
      if (action === 'park') {
        if (!(await this.record(() => this.store.park(batch, kind, failure, { ...sent.attempt, outcome: 'waiting_connection', failure })))) return this.leaseLost(batch);
        this.logger.warn(`${label}: ${failure.code}; ${batch.operations.length} operation(s) wait for the company to connect`);
        return;
      }
      const answers = batch.operations.map(() => ({ ok: false as const, failure }));
      if (!(await this.record(() => this.store.complete(batch, kind, batch.operations, answers, { ...sent.attempt, outcome: 'failed', failure }, { close: true }))))
        this.leaseLost(batch);
      return;
    }
    if (!(await this.record(() => this.store.complete(batch, kind, batch.operations, sent.value, { ...sent.attempt, outcome: 'succeeded' }, { close: true }))))
      return this.leaseLost(batch);
    const succeeded = sent.value.filter((a) => a.ok).length;
    this.logger.log(`${label}: ${succeeded} succeeded, ${sent.value.length - succeeded} failed, ${sent.attempt.callsUsed} call(s)`);
  }

  private async postpone(batch: ClaimedBatch, kind: OperationKind | undefined, failure: Failure, reachedXero: boolean, attempt: AttemptRecord): Promise<void> {
    const delay = resendDelayMs(batch.tries, this.settings.OPERATIONS_RETRY_BASE_MS, this.settings.OPERATIONS_RETRY_MAX_MS);
    if (!(await this.record(() => this.store.postpone(batch, kind, failure, delay, reachedXero, { ...attempt, failure })))) return this.leaseLost(batch);
    this.logger.warn(`${this.label(batch)}: ${failure.code} (${failure.messages.join('; ')}); resending in ${delay} ms with the same key`);
  }

  /**
   * Records what Xero answered. A database that is restarting just then must not make the engine forget the
   * answer: it is written again until the database is back, for as long as the lease would have lasted.
   */
  private record<T>(write: () => Promise<T>): Promise<T> {
    return retryWhileDatabaseUnavailable(write, { giveUpAt: Date.now() + this.settings.OPERATIONS_LEASE_MS, stopping: () => !this.running });
  }

  private leaseLost(batch: ClaimedBatch): void {
    this.logger.warn(`${this.label(batch)}: the lease passed to another replica before the answer was recorded; it records its own`);
  }

  private async renewLeases(): Promise<void> {
    if (Date.now() - this.lastRenewal < this.settings.OPERATIONS_LEASE_MS / 3) return;
    this.lastRenewal = Date.now();
    await this.store.renew(
      [...this.inFlight.values()].map((p) => p.leaseToken),
      this.settings.OPERATIONS_LEASE_MS,
    );
  }

  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    const pruned = await this.store.pruneAttempts(this.settings.OPERATIONS_ATTEMPT_RETENTION_DAYS);
    if (pruned > 0) this.logger.log(`dropped ${pruned} attempt record(s) older than ${this.settings.OPERATIONS_ATTEMPT_RETENTION_DAYS} days`);
  }
}
