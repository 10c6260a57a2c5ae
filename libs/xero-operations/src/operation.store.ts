import { Failure, Topics } from '@ledgerline/contracts';
import { activeTraceParent, assertSchemaName, EventPublisher, MESSAGING_OPTIONS, MessagingOptions, wakeupChannel, withTraceParent } from '@ledgerline/messaging';
import { queryRows } from '@ledgerline/platform';
import { idempotencyKey } from '@ledgerline/xero-client';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { batchKeyParts, ReadyCompany } from './domain/dispatch-plan';
import { ElementAnswer, Operation, OperationKind } from './operation-kind';

/** What a caller records: the operation's kind, company, target record and body, and where it came from. */
export interface NewOperation<Body> {
  companyId: string;
  target: string;
  body: Body;
  correlationId: string;
  causationId?: string | null;
}

/** A batch this process holds the lease on: only the holder of `leaseToken` may record its outcome. */
export interface ClaimedBatch {
  id: string;
  companyId: string;
  kind: string;
  idempotencyKey: string;
  operations: Operation<unknown>[];
  tries: number;
  unprovenSends: number;
  keySentAt: Date | null;
  lookUps: number;
  leaseToken: string;
  /** The database's clock when this process claimed the batch (the key's window is judged on it). */
  claimedAt: Date;
}

/** One attempt at Xero, as the sync log keeps it. */
export interface AttemptRecord {
  startedAt: Date;
  durationMs: number;
  callsUsed: number;
  xeroStatus?: number;
  outcome: 'succeeded' | 'failed' | 'retrying' | 'waiting_connection' | 'found_in_xero';
  failure?: Failure;
}

/** An element's answer with what the sync log says of it. */
export type AppliedAnswer = {
  operation: Operation<unknown>;
  outcome: AttemptRecord['outcome'];
  failure?: Failure;
  xeroId?: string;
};

interface BatchRow {
  id: string;
  company_id: string;
  kind: string;
  idempotency_key: string;
  operation_ids: string[];
  tries: number;
  unproven_sends: number;
  key_sent_at: Date | null;
  look_ups: number;
  lease_token: string;
  db_now: Date;
}

interface OperationRow {
  id: string;
  company_id: string;
  kind: string;
  target: string;
  body: unknown;
  correlation_id: string;
  causation_id: string | null;
  trace_parent: string | null;
}

const lease = (param: string) => `now() + make_interval(secs => ${param}::double precision / 1000)`;

const toOperation = (row: OperationRow): Operation<unknown> => ({
  id: row.id,
  companyId: row.company_id,
  kind: row.kind,
  target: row.target,
  body: row.body,
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  traceParent: row.trace_parent,
});

/**
 * The engine's database side. Operations are recorded in the caller's transaction. Every claim is short and
 * uses FOR UPDATE SKIP LOCKED, so replicas share the work without waiting on each other; no transaction is
 * ever open while Xero is called. A claimed batch carries a lease: if its holder dies, the batch is resent
 * (same members and key) once the lease ends. Only the lease holder records an answer.
 */
@Injectable()
export class OperationStore {
  private readonly logger = new Logger(OperationStore.name);
  private readonly schema: string;
  private readonly t: { operations: string; batches: string; attempts: string };
  /** Notified by every transaction that makes operations ready, so a worker in any process wakes when it commits. */
  readonly readyChannel: string;

  constructor(
    @Inject(MESSAGING_OPTIONS) options: MessagingOptions,
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
  ) {
    this.schema = assertSchemaName(options.schema);
    this.t = {
      operations: `"${this.schema}"."xero_operations"`,
      batches: `"${this.schema}"."xero_operation_batches"`,
      attempts: `"${this.schema}"."xero_operation_attempts"`,
    };
    this.readyChannel = wakeupChannel(this.schema, 'operations');
  }

  /** Records an operation inside the caller's transaction, with the caller's trace; the worker sends it once that commits. */
  async record<Body>(tx: EntityManager, kind: OperationKind<Body, unknown>, operation: NewOperation<Body>): Promise<string> {
    const id = randomUUID();
    await tx.query(
      `WITH "row" AS (
         INSERT INTO ${this.t.operations} ("id", "company_id", "kind", "target", "body", "status", "ready_at", "correlation_id", "causation_id", "trace_parent")
         VALUES ($1, $2, $3, $4, $5, 'pending', now(), $6, $7, $8) RETURNING 1)
       SELECT pg_notify($9, '') FROM "row"`,
      [
        id,
        operation.companyId,
        kind.name,
        operation.target,
        JSON.stringify(operation.body),
        operation.correlationId,
        operation.causationId ?? null,
        activeTraceParent(),
        this.readyChannel,
      ],
    );
    return id;
  }

  /** The company connected (again): every operation waiting for a connection is ready; returns how many. */
  async resumeWaiting(tx: EntityManager, companyId: string): Promise<number> {
    const resumed: unknown[] = await queryRows(
      tx,
      `WITH "resumed" AS (
         UPDATE ${this.t.operations} SET "status" = 'pending', "ready_at" = now(), "updated_at" = now()
         WHERE "company_id" = $1 AND "status" = 'waiting_connection' RETURNING "id")
       SELECT "id", pg_notify($2, '') FROM "resumed"`,
      [companyId, this.readyChannel],
    );
    return resumed.length;
  }

  /** Operations of a company's target record that have not reached an end yet (e.g. to cancel them locally). */
  async unfinished(tx: EntityManager, companyId: string, kind: string, target: string): Promise<{ id: string; status: string; batchId: string | null }[]> {
    const rows: { id: string; status: string; batch_id: string | null }[] = await tx.query(
      `SELECT "id", "status", "batch_id" FROM ${this.t.operations}
       WHERE "company_id" = $1 AND "kind" = $2 AND "target" = $3 AND "status" IN ('pending', 'waiting_connection') FOR UPDATE`,
      [companyId, kind, target],
    );
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      batchId: r.batch_id,
    }));
  }

  /**
   * Withdraws operations that have not been sent (no batch holds them), inside the caller's transaction: they end
   * as failed with the given failure and are never sent. Returns the ids withdrawn; one already in a batch is left.
   */
  async withdraw(tx: EntityManager, companyId: string, operationIds: string[], failure: Failure): Promise<string[]> {
    if (operationIds.length === 0) return [];
    const rows: { id: string }[] = await queryRows(
      tx,
      `UPDATE ${this.t.operations} SET "status" = 'failed', "failure" = $3, "completed_at" = now(), "updated_at" = now()
       WHERE "company_id" = $1 AND "id" = ANY($2::uuid[]) AND "batch_id" IS NULL AND "status" IN ('pending', 'waiting_connection')
       RETURNING "id"`,
      [companyId, operationIds, JSON.stringify(failure)],
    );
    return rows.map((r) => r.id);
  }

  /** Open batches that are due and unleased (never sent, failed transiently, or abandoned by a dead replica). */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedBatch[]> {
    if (limit <= 0) return [];
    const rows: BatchRow[] = await queryRows(
      this.dataSource,
      `WITH due AS (
         SELECT "id" FROM ${this.t.batches}
         WHERE "status" = 'open' AND "next_attempt_at" <= now() AND ("lease_until" IS NULL OR "lease_until" < now())
         ORDER BY "next_attempt_at" LIMIT $1 FOR UPDATE SKIP LOCKED
       )
       UPDATE ${this.t.batches} b
       SET "lease_token" = gen_random_uuid(), "lease_until" = ${lease('$2')}, "tries" = b."tries" + 1, "updated_at" = now()
       FROM due WHERE b."id" = due."id"
       RETURNING b."id", b."company_id", b."kind", b."idempotency_key", b."operation_ids", b."tries", b."unproven_sends", b."key_sent_at", b."look_ups", b."lease_token", now() AS "db_now"`,
      [limit, leaseMs],
    );
    if (rows.length === 0) return [];
    const operations: OperationRow[] = await this.dataSource.query(
      `SELECT "id", "company_id", "kind", "target", "body", "correlation_id", "causation_id", "trace_parent" FROM ${this.t.operations} WHERE "id" = ANY($1::uuid[])`,
      [rows.flatMap((r) => r.operation_ids)],
    );
    const byId = new Map(operations.map((o) => [o.id, toOperation(o)]));
    return rows.map((row) => ({
      id: row.id,
      companyId: row.company_id,
      kind: row.kind,
      idempotencyKey: row.idempotency_key,
      operations: row.operation_ids.map((id) => byId.get(id)).filter((o): o is Operation<unknown> => o !== undefined),
      tries: row.tries,
      unprovenSends: row.unproven_sends,
      keySentAt: row.key_sent_at,
      lookUps: row.look_ups,
      leaseToken: row.lease_token,
      claimedAt: row.db_now,
    }));
  }

  /** Companies with ready operations, per kind, with the database's clock so lingering is judged on one clock. */
  async readyCompanies(): Promise<{ now: Date; byKind: Map<string, ReadyCompany[]> }> {
    const rows: { kind: string; company_id: string; ready: number; oldest: Date; in_flight: number; now: Date }[] = await this.dataSource.query(
      `SELECT o."kind", o."company_id", count(*)::int AS "ready", min(o."ready_at") AS "oldest", now() AS "now",
              (SELECT count(*)::int FROM ${this.t.batches} b WHERE b."company_id" = o."company_id" AND b."kind" = o."kind" AND b."status" = 'open') AS "in_flight"
       FROM ${this.t.operations} o WHERE o."status" = 'pending' AND o."batch_id" IS NULL
       GROUP BY o."kind", o."company_id"`,
    );
    const byKind = new Map<string, ReadyCompany[]>();
    for (const r of rows) {
      const companies = byKind.get(r.kind) ?? [];
      companies.push({ companyId: r.company_id, ready: r.ready, oldestReadyAt: r.oldest, inFlight: r.in_flight });
      byKind.set(r.kind, companies);
    }
    return { now: rows[0]?.now ?? new Date(), byKind };
  }

  /**
   * Takes up to `size` ready operations of one company and kind (skipping those another replica holds) and
   * stores the batch (members and key), leased to this process and marked as sent, before any call.
   */
  async formBatch(kind: string, companyId: string, size: number, leaseMs: number): Promise<ClaimedBatch | null> {
    return this.dataSource.transaction(async (tx) => {
      // One replica at a time forms a company's batches of a kind, so the in-flight check below sees every batch.
      const [{ formed }]: { formed: boolean }[] = await tx.query(`SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS "formed"`, [
        `${this.schema}.${kind}`,
        companyId,
      ]);
      if (!formed) return null;
      // A target's operations reach Xero one at a time, in the order they were recorded: none joins a batch
      // while an earlier one for the same record is still on its way. The targets on their way are a few batches'
      // worth (their own index), and the oldest ready operations come straight off the ready index, so this stays
      // cheap however long the company's backlog is.
      const rows: OperationRow[] = await tx.query(
        `SELECT o."id", o."company_id", o."kind", o."target", o."body", o."correlation_id", o."causation_id", o."trace_parent" FROM ${this.t.operations} o
         WHERE o."company_id" = $1 AND o."kind" = $2 AND o."status" = 'pending' AND o."batch_id" IS NULL
           AND o."target" NOT IN (
             SELECT f."target" FROM ${this.t.operations} f WHERE f."company_id" = $1 AND f."kind" = $2 AND f."status" = 'pending' AND f."batch_id" IS NOT NULL)
         ORDER BY o."ready_at", o."id" LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [companyId, kind, size],
      );
      const targets = new Set<string>();
      const candidates = rows.filter((row) => !targets.has(row.target) && targets.add(row.target));
      if (candidates.length === 0) return null;
      const id = randomUUID();
      const leaseToken = randomUUID();
      const operationIds = candidates.map((c) => c.id);
      const key = idempotencyKey(...batchKeyParts(companyId, kind, id, operationIds));
      const [{ key_sent_at }]: { key_sent_at: Date }[] = await tx.query(
        `INSERT INTO ${this.t.batches}
           ("id", "company_id", "kind", "idempotency_key", "operation_ids", "status", "tries", "unproven_sends", "key_sent_at", "lease_token", "lease_until", "next_attempt_at")
         VALUES ($1, $2, $3, $4, $5::uuid[], 'open', 1, 1, now(), $6, ${lease('$7')}, now())
         RETURNING "key_sent_at"`,
        [id, companyId, kind, key, operationIds, leaseToken, leaseMs],
      );
      await tx.query(`UPDATE ${this.t.operations} SET "batch_id" = $1, "updated_at" = now() WHERE "id" = ANY($2::uuid[])`, [id, operationIds]);
      return {
        id,
        companyId,
        kind,
        idempotencyKey: key,
        operations: candidates.map(toOperation),
        tries: 1,
        unprovenSends: 1,
        keySentAt: key_sent_at,
        lookUps: 0,
        leaseToken,
        claimedAt: key_sent_at,
      };
    });
  }

  /**
   * A resend is about to go out: count it as a send that may reach Xero. After a look-up the remaining members
   * travel under a new key (its window starts now). False when the lease was lost.
   */
  async beginResend(batch: ClaimedBatch, remaining?: { operations: Operation<unknown>[]; idempotencyKey: string }): Promise<boolean> {
    const updated: unknown[] = await queryRows(
      this.dataSource,
      `UPDATE ${this.t.batches}
       SET "unproven_sends" = "unproven_sends" + 1,
           "key_sent_at" = CASE WHEN $3::boolean OR "key_sent_at" IS NULL THEN now() ELSE "key_sent_at" END,
           "operation_ids" = COALESCE($4::uuid[], "operation_ids"),
           "idempotency_key" = COALESCE($5::varchar, "idempotency_key"),
           "look_ups" = "look_ups" + CASE WHEN $3::boolean THEN 1 ELSE 0 END,
           "updated_at" = now()
       WHERE "id" = $1 AND "lease_token" = $2 AND "status" = 'open'
       RETURNING "id"`,
      [batch.id, batch.leaseToken, remaining !== undefined, remaining ? remaining.operations.map((o) => o.id) : null, remaining?.idempotencyKey ?? null],
    );
    return updated.length > 0;
  }

  /**
   * Applies Xero's answer for the given members (answers[i] belongs to operations[i]) through their kind, records
   * the attempt and announces it, in one transaction. With `close`, the batch is done. False when the lease was lost.
   */
  async complete(
    batch: ClaimedBatch,
    kind: OperationKind,
    operations: Operation<unknown>[],
    answers: ElementAnswer<unknown>[],
    attempt: AttemptRecord,
    options: { close: boolean; found?: boolean },
  ): Promise<boolean> {
    if (answers.length !== operations.length) throw new Error(`batch ${batch.id}: ${operations.length} operations but ${answers.length} answers`);
    return this.dataSource.transaction(async (tx) => {
      if (!(await this.holdsLease(tx, batch, options.close))) return false;
      const open = await this.lockOpen(tx, batch, operations);
      const applied: AppliedAnswer[] = [];
      for (const [index, operation] of operations.entries()) {
        if (!open.has(operation.id)) {
          this.logger.warn(`batch ${batch.id}: operation ${operation.id} is no longer waiting for this batch; its answer is not applied`);
          continue;
        }
        const answer = answers[index];
        if (answer.ok) {
          await tx.query(
            `UPDATE ${this.t.operations} SET "status" = 'succeeded', "result" = $2, "failure" = NULL, "completed_at" = now(), "updated_at" = now() WHERE "id" = $1`,
            [operation.id, JSON.stringify(answer.result ?? null)],
          );
          await withTraceParent(operation.traceParent, () => kind.succeeded(tx, operation, answer.result));
          applied.push({
            operation,
            outcome: options.found ? 'found_in_xero' : 'succeeded',
            xeroId: kind.xeroIdOf?.(answer.result),
          });
        } else {
          await this.markFailed(tx, operation, answer.failure);
          await withTraceParent(operation.traceParent, () => kind.failed(tx, operation, answer.failure));
          applied.push({
            operation,
            outcome: 'failed',
            failure: answer.failure,
          });
        }
      }
      const outcome = applied.some((a) => a.outcome === 'failed') && !applied.some((a) => a.outcome !== 'failed') ? 'failed' : attempt.outcome;
      await this.recordAttempt(tx, batch, { ...attempt, outcome }, applied);
      return true;
    });
  }

  /** A transient failure: the batch keeps its members and key and is resent after `delayMs`. */
  async postpone(
    batch: ClaimedBatch,
    kind: OperationKind | undefined,
    failure: Failure,
    delayMs: number,
    reachedXero: boolean,
    attempt: AttemptRecord,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const released: unknown[] = await queryRows(
        tx,
        `UPDATE ${this.t.batches}
         SET "lease_token" = NULL, "lease_until" = NULL, "next_attempt_at" = ${lease('$3')}, "last_error" = $4,
             "unproven_sends" = GREATEST(0, "unproven_sends" - CASE WHEN $5::boolean THEN 0 ELSE 1 END), "updated_at" = now()
         WHERE "id" = $1 AND "lease_token" = $2 AND "status" = 'open'
         RETURNING "id"`,
        [batch.id, batch.leaseToken, delayMs, JSON.stringify(failure), reachedXero],
      );
      if (released.length === 0) return false;
      await tx.query(`UPDATE ${this.t.operations} SET "failure" = $2, "updated_at" = now() WHERE "batch_id" = $1 AND "status" = 'pending'`, [
        batch.id,
        JSON.stringify(failure),
      ]);
      for (const operation of batch.operations) await withTraceParent(operation.traceParent, async () => kind?.retrying?.(tx, operation, failure));
      await this.recordAttempt(
        tx,
        batch,
        attempt,
        batch.operations.map((operation) => ({
          operation,
          outcome: 'retrying' as const,
          failure,
        })),
      );
      return true;
    });
  }

  /**
   * The company has no usable connection: the batch ends, and its operations wait for one (a later batch, with
   * a new key, takes them once the company connects).
   */
  async park(batch: ClaimedBatch, kind: OperationKind, failure: Failure, attempt: AttemptRecord): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      if (!(await this.holdsLease(tx, batch, true))) return false;
      const open = await this.lockOpen(tx, batch, batch.operations);
      const parked = batch.operations.filter((o) => open.has(o.id));
      await tx.query(
        `UPDATE ${this.t.operations} SET "status" = 'waiting_connection', "batch_id" = NULL, "ready_at" = NULL, "failure" = $2, "updated_at" = now()
         WHERE "id" = ANY($1::uuid[])`,
        [parked.map((o) => o.id), JSON.stringify(failure)],
      );
      for (const operation of parked) await withTraceParent(operation.traceParent, async () => kind.waiting?.(tx, operation, failure));
      await this.recordAttempt(
        tx,
        batch,
        attempt,
        parked.map((operation) => ({
          operation,
          outcome: 'waiting_connection' as const,
          failure,
        })),
      );
      return true;
    });
  }

  /** Keeps the leases of batches still in flight from running out. */
  async renew(leaseTokens: string[], leaseMs: number): Promise<void> {
    if (leaseTokens.length === 0) return;
    await this.dataSource.query(`UPDATE ${this.t.batches} SET "lease_until" = ${lease('$2')} WHERE "lease_token" = ANY($1::uuid[]) AND "status" = 'open'`, [
      leaseTokens,
      leaseMs,
    ]);
  }

  /** Hands batches back at shutdown so a replica or the next start resends them without waiting for the lease. */
  async release(leaseTokens: string[]): Promise<void> {
    if (leaseTokens.length === 0) return;
    await this.dataSource.query(
      `UPDATE ${this.t.batches} SET "lease_token" = NULL, "lease_until" = NULL, "updated_at" = now()
       WHERE "lease_token" = ANY($1::uuid[]) AND "status" = 'open'`,
      [leaseTokens],
    );
  }

  /** How many attempts at Xero carried each target record of a company (its sync history's length). */
  async sendCounts(companyId: string, targets: string[]): Promise<Map<string, number>> {
    if (targets.length === 0) return new Map();
    const rows: { target: string; sends: number }[] = await this.dataSource.query(
      `SELECT t."target", count(*)::int AS "sends"
       FROM ${this.t.attempts} a CROSS JOIN LATERAL unnest(a."targets") AS t("target")
       WHERE a."company_id" = $1 AND a."targets" && $2::text[] AND t."target" = ANY($2::text[]) AND a."calls_used" > 0 AND a."outcome" <> 'found_in_xero'
       GROUP BY t."target"`,
      [companyId, targets],
    );
    return new Map(rows.map((r) => [r.target, r.sends]));
  }

  /** Drops attempt records older than the retention; returns how many went. */
  async pruneAttempts(retentionDays: number): Promise<number> {
    const deleted: unknown[] = await queryRows(this.dataSource, `DELETE FROM ${this.t.attempts} WHERE "started_at" < now() - make_interval(days => $1) RETURNING "id"`, [
      retentionDays,
    ]);
    return deleted.length;
  }

  private async holdsLease(tx: EntityManager, batch: ClaimedBatch, close: boolean): Promise<boolean> {
    const held: unknown[] = await queryRows(
      tx,
      close
        ? `UPDATE ${this.t.batches}
           SET "status" = 'done', "lease_token" = NULL, "lease_until" = NULL, "last_error" = NULL, "completed_at" = now(), "updated_at" = now()
           WHERE "id" = $1 AND "lease_token" = $2 AND "status" = 'open' RETURNING "id"`
        : `SELECT "id" FROM ${this.t.batches} WHERE "id" = $1 AND "lease_token" = $2 AND "status" = 'open' FOR UPDATE`,
      [batch.id, batch.leaseToken],
    );
    return held.length > 0;
  }

  private async lockOpen(tx: EntityManager, batch: ClaimedBatch, operations: Operation<unknown>[]): Promise<Set<string>> {
    const rows: { id: string }[] = await tx.query(
      `SELECT "id" FROM ${this.t.operations} WHERE "id" = ANY($1::uuid[]) AND "batch_id" = $2 AND "status" = 'pending' FOR UPDATE`,
      [operations.map((o) => o.id), batch.id],
    );
    return new Set(rows.map((r) => r.id));
  }

  private async markFailed(tx: EntityManager, operation: Operation<unknown>, failure: Failure): Promise<void> {
    await tx.query(`UPDATE ${this.t.operations} SET "status" = 'failed', "failure" = $2, "completed_at" = now(), "updated_at" = now() WHERE "id" = $1`, [
      operation.id,
      JSON.stringify(failure),
    ]);
  }

  private async recordAttempt(tx: EntityManager, batch: ClaimedBatch, attempt: AttemptRecord, applied: AppliedAnswer[]): Promise<void> {
    const id = randomUUID();
    await tx.query(
      `INSERT INTO ${this.t.attempts}
         ("id", "company_id", "kind", "batch_id", "operation_ids", "targets", "idempotency_key", "attempt", "started_at", "duration_ms",
          "xero_status", "calls_used", "outcome", "error_code", "messages")
       VALUES ($1, $2, $3, $4, $5::uuid[], $6::text[], $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        id,
        batch.companyId,
        batch.kind,
        batch.id,
        applied.map((a) => a.operation.id),
        applied.map((a) => a.operation.target),
        batch.idempotencyKey,
        batch.tries,
        attempt.startedAt,
        attempt.durationMs,
        attempt.xeroStatus ?? null,
        attempt.callsUsed,
        attempt.outcome,
        attempt.failure?.code ?? null,
        JSON.stringify(attempt.failure?.messages ?? []),
      ],
    );
    const first = applied[0]?.operation;
    await this.publisher.publish(
      tx,
      Topics.SyncActivity,
      batch.companyId,
      {
        service: this.schema,
        kind: batch.kind,
        attemptId: id,
        batchId: batch.id,
        attempt: batch.tries,
        startedAt: attempt.startedAt.toISOString(),
        durationMs: attempt.durationMs,
        callsUsed: attempt.callsUsed,
        ...(attempt.xeroStatus === undefined ? {} : { xeroStatus: attempt.xeroStatus }),
        outcome: attempt.outcome,
        ...(attempt.failure ? { failure: attempt.failure } : {}),
        targets: applied.map((a) => ({
          operationId: a.operation.id,
          target: a.operation.target,
          outcome: a.outcome,
          ...(a.failure ? { failure: a.failure } : {}),
          ...(a.xeroId ? { xeroId: a.xeroId } : {}),
        })),
      },
      first ? { correlationId: first.correlationId } : undefined,
    );
  }
}
