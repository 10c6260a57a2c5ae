import { Failure } from '@ledgerline/contracts';
import { contextOfTraceParent, DatabaseWakeups, EventConsumer, EventPublisher, retryWhileDatabaseUnavailable } from '@ledgerline/messaging';
import { idempotencyKey, meterXeroCalls } from '@ledgerline/xero-client';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Link, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { classifyCallFailure, mayHaveReachedXero } from './domain/call-failure';
import { batchKeyParts, msUntilNextDue, planDispatch, ReadyCompany, resendDelayMs } from './domain/dispatch-plan';
import { mustLookUpBeforeResend } from './domain/resend-policy';
import { OPERATIONS_SETTINGS, OperationsEngineSettings } from './operations.config';
import { ElementAnswer, Operation, OPERATION_KINDS, OperationKind } from './operation-kind';
import { AttemptRecord, ClaimedBatch, OperationStore } from './operation.store';

const SHUTDOWN_GRACE_MS = 5_000;
/** Even when nudged constantly (a burst of requests), look for work at most this often. */
const MIN_PAUSE_MS = 10;
/**
 * How long a company's events must all have been handled before what they recorded is taken as complete rather
 * than the start of a burst. Messages fetched together are handled back to back, with at most a heartbeat or an
 * offset commit (one round trip to the broker) between two of them.
 */
const SETTLE_MS = 5;
const PRUNE_EVERY_MS = 3_600_000;
const tracer = trace.getTracer('@ledgerline/xero-operations');

const formedKey = (kind: string, companyId: string) => `${kind}\u0000${companyId}`;

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
  private stopListening?: () => void;
  private wake?: () => void;
  private lastRenewal = Date.now();
  private lastPrune = 0;
  /** When this process last formed a batch, per kind and company: a company that formed one moments ago is busy. */
  private readonly lastFormed = new Map<string, Date>();
  /** The worker's next look comes no later than this (a gathering batch's linger ends then), in ms from now. */
  private lookWithinMs?: number;

  constructor(
    @Inject(OPERATIONS_SETTINGS) private readonly settings: OperationsEngineSettings,
    private readonly store: OperationStore,
    private readonly publisher: EventPublisher,
    @Inject(OPERATION_KINDS) kinds: OperationKind[],
    private readonly wakeups: DatabaseWakeups,
    private readonly consumer: EventConsumer,
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
    // Operations recorded by another process (an API replica, a consumer elsewhere) wake this worker on commit.
    this.stopListening = this.wakeups.listen(this.store.readyChannel, () => this.nudge());
    this.loop = this.run();
  }

  /** Stops forming batches, gives calls in flight a moment, and hands back the leases of the rest. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopListening?.();
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
      const roundStartedAt = Date.now();
      try {
        await this.renewLeases();
        await this.fill();
        await this.prune();
      } catch (error) {
        this.logger.error(`operations round failed: ${(error as Error).message}`);
      }
      await this.pause(roundStartedAt);
    }
  }

  /**
   * Waits for the next round: the poll interval, or less when a gathering batch falls due sooner. A nudge ends the
   * wait at once, though rounds start at least MIN_PAUSE_MS apart, so a stream of nudges (a burst of requests)
   * cannot turn the loop into a busy one.
   */
  private pause(roundStartedAt: number): Promise<void> {
    const earliest = roundStartedAt + MIN_PAUSE_MS;
    const interval = Math.min(this.settings.OPERATIONS_INTERVAL_MS, this.lookWithinMs ?? Infinity);
    const nudged = this.nudged;
    this.nudged = false;
    this.lookWithinMs = undefined;
    return new Promise((resolve) => {
      const finish = () => {
        if (this.wake === wake) this.wake = undefined;
        resolve();
      };
      let woken = false;
      let timer = setTimeout(finish, Math.max(0, nudged ? earliest - Date.now() : interval));
      const wake = () => {
        if (woken) return;
        woken = true;
        clearTimeout(timer);
        timer = setTimeout(finish, Math.max(0, earliest - Date.now()));
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
      const known = companies.map((c) => this.withActivity(kind.name, c, now));
      const options = { batchSize: kind.batchSize, lingerMs, maxWaitMs: lingerMs > 0 ? this.settings.OPERATIONS_BATCH_MAX_WAIT_MS : 0, slots };
      const plan = planDispatch(known, now, options);
      const nextDue = msUntilNextDue(known, now, options);
      if (nextDue !== undefined) this.lookWithin(nextDue);
      for (const { companyId, size } of plan) {
        // One company's batch that cannot be formed must not hold up the others.
        const batch = await this.store.formBatch(kind.name, companyId, size, OPERATIONS_LEASE_MS).catch((error: Error) => {
          this.logger.error(`could not form a ${kind.name} batch for ${companyId}: ${error.message}`);
          return null;
        });
        if (!batch) continue;
        this.lastFormed.set(formedKey(kind.name, companyId), new Date());
        this.launch(batch, false);
      }
    }
  }

  /**
   * What this process knows of a company beyond the table: when it last formed a batch of the kind, and whether
   * the company's events are still being handled (the rest of a burst on its way). A company whose last event was
   * handled moments ago is looked at again once it has settled; one still being handled nudges the worker when done.
   */
  private withActivity(kind: string, company: ReadyCompany, now: Date): ReadyCompany {
    const lastFormed = this.lastFormed.get(formedKey(kind, company.companyId));
    const quietForMs = this.consumer.quietForMs(company.companyId);
    const arriving = quietForMs < SETTLE_MS;
    if (arriving && quietForMs > 0) this.lookWithin(SETTLE_MS - quietForMs);
    return { ...company, arriving, ...(lastFormed ? { lastFormedAt: this.dbTime(lastFormed, now) } : {}) };
  }

  private lookWithin(ms: number): void {
    this.lookWithinMs = Math.min(this.lookWithinMs ?? Infinity, ms);
  }

  /** This process's clock reading `at`, as the database's clock (which the plan compares against) read it. */
  private dbTime(at: Date, dbNow: Date): Date {
    return new Date(dbNow.getTime() - (Date.now() - at.getTime()));
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
    for (const [key, at] of this.lastFormed) if (Date.now() - at.getTime() > PRUNE_EVERY_MS) this.lastFormed.delete(key);
    const pruned = await this.store.pruneAttempts(this.settings.OPERATIONS_ATTEMPT_RETENTION_DAYS);
    if (pruned > 0) this.logger.log(`dropped ${pruned} attempt record(s) older than ${this.settings.OPERATIONS_ATTEMPT_RETENTION_DAYS} days`);
  }
}
