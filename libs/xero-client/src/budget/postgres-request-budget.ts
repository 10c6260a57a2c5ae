import type { Pool, PoolClient } from 'pg';
import { XeroLimits } from '../config/xero-client.config';
import { XeroClientException } from '../errors/xero-client.exception';
import { XeroErrorCode } from '../errors/xero-error-code';
import { sleep } from '../retry/backoff';
import { quoteIdent } from './budget-schema.sql';
import { BudgetObservation, BudgetPermit, RequestBudget } from './request-budget';

/** First key of the two-key advisory lock, so our locks cannot collide with other users of advisory locks. */
const LOCK_NAMESPACE = 0x58455230;
/** Tenant-state row for limits that span the whole app. */
const APP_ROW = '*';
/** A full in-flight slate frees up when some call finishes; look again this often. */
const IN_FLIGHT_POLL_MS = 25;
const PRUNE_EVERY_MS = 60_000;

export interface PostgresRequestBudgetOptions {
  schema: string;
  limits: XeroLimits;
  logger?: { warn(message: string): void };
  random?: () => number;
}

interface Snapshot {
  nowMs: number;
  minuteCount: number;
  dayCount: number;
  appCount: number;
  inFlight: number;
  firstLeaseExpiryMs: number | null;
  blockedUntilMs: number | null;
  minuteShortfall: number;
  minuteShortfallUntilMs: number | null;
  dayShortfall: number;
  dayShortfallUntilMs: number | null;
  appBlockedUntilMs: number | null;
  appShortfall: number;
  appShortfallUntilMs: number | null;
}

type Decision = { permitId: string } | { waitMs: number };

/**
 * One organisation's Xero budget, shared by every process that points at the same Postgres.
 *
 * A call counts in a window from its permit until one window after its response arrived: Xero counted it
 * at some instant in between (when the request reached it), so this is the earliest moment it is certainly
 * out of Xero's window too, however long the request took to travel.
 *
 * Taking a permit is one short transaction under a per-tenant advisory lock: count the tenant's calls in the
 * rolling minute and day windows, the app's calls in the app window and the tenant's unexpired in-flight
 * leases; if all are under their limits (less any shortfall Xero's headers revealed, and no Retry-After block
 * is active) insert a lease row, otherwise compute when the first blocking constraint clears and wait.
 * Releasing stamps the lease finished; a lease whose process died expires after `leaseTtlMs`.
 */
export class PostgresRequestBudget implements RequestBudget {
  private readonly schema: string;
  private readonly localTurns = new Map<string, Promise<void>>();
  private readonly random: () => number;
  private nextPruneAt = 0;

  constructor(
    private readonly pool: Pool,
    private readonly options: PostgresRequestBudgetOptions,
  ) {
    this.schema = quoteIdent(options.schema);
    this.random = options.random ?? Math.random;
    // An idle client that loses its server (Postgres restarting) makes the pool emit 'error'; with no
    // listener that ends the process. A pool handed in may have one already; one that has none gets ours.
    if (pool.listenerCount('error') === 0) {
      pool.on('error', (error) => options.logger?.warn(`Xero budget pool lost a connection: ${error.message}`));
    }
  }

  /**
   * Within one process only the head of each tenant's queue talks to Postgres; the rest wait their turn
   * locally. That keeps polling load at one query stream per process per tenant, and serves callers in order.
   */
  async acquire(tenantId: string): Promise<BudgetPermit> {
    const previous = this.localTurns.get(tenantId) ?? Promise.resolve();
    let finishTurn!: () => void;
    const turnDone = new Promise<void>((resolve) => (finishTurn = resolve));
    const turn = previous.then(() => turnDone);
    this.localTurns.set(tenantId, turn);
    await previous;
    try {
      return await this.acquireShared(tenantId);
    } finally {
      finishTurn();
      if (this.localTurns.get(tenantId) === turn) this.localTurns.delete(tenantId);
    }
  }

  private async acquireShared(tenantId: string): Promise<BudgetPermit> {
    const giveUpAt = Date.now() + this.options.limits.maxWaitMs;
    this.maybePrune();
    for (;;) {
      const decision = await this.storeCall(() => this.tryAcquire(tenantId));
      if ('permitId' in decision) {
        const permitId = decision.permitId;
        return { release: (observation) => this.release(tenantId, permitId, observation) };
      }
      if (Date.now() + decision.waitMs > giveUpAt) {
        throw new XeroClientException({
          code: XeroErrorCode.RateLimited,
          retriable: true,
          retryAfterMs: decision.waitMs,
          message: `The organisation's Xero budget is used up for the next ${Math.ceil(decision.waitMs / 1000)}s`,
        });
      }
      // A few ms of jitter so processes woken by the same window edge do not all queue on the lock at once.
      await sleep(decision.waitMs + Math.floor(this.random() * 10));
    }
  }

  private async tryAcquire(tenantId: string): Promise<Decision> {
    const client = await this.pool.connect();
    // While checked out, a client's 'error' (its server went away mid-transaction) has no pool listener
    // behind it; the failing query rejects on its own, so the event only has to be caught.
    let lost: Error | undefined;
    const onLost = (error: Error) => (lost = error);
    client.on('error', onLost);
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, tenantId]);
      const snapshot = await this.snapshot(client, tenantId);
      const waitMs = await this.waitNeeded(client, tenantId, snapshot);
      if (waitMs > 0) {
        await client.query('COMMIT');
        return { waitMs };
      }
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO ${this.schema}.call_permit (tenant_id, started_at, lease_expires_at, counted_at)
         VALUES ($1, to_timestamp($2::float8 / 1000), to_timestamp(($2::float8 + $3::float8) / 1000), to_timestamp(($2::float8 + $3::float8) / 1000))
         RETURNING id`,
        [tenantId, snapshot.nowMs, this.options.limits.leaseTtlMs],
      );
      await client.query('COMMIT');
      return { permitId: rows[0].id };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.removeListener('error', onLost);
      // A client that lost its server is destroyed rather than handed to the next caller.
      client.release(lost);
    }
  }

  private async snapshot(client: PoolClient, tenantId: string): Promise<Snapshot> {
    const { minuteMs, dayMs, appMs } = this.windows();
    const s = this.schema;
    const { rows } = await client.query(
      `WITH t AS (SELECT clock_timestamp() AS now)
       SELECT
         extract(epoch FROM t.now) * 1000 AS now_ms,
         (SELECT count(*) FROM ${s}.call_permit c WHERE c.tenant_id = $1 AND c.counted_at > t.now - $2::float8 * interval '1 millisecond') AS minute_count,
         (SELECT count(*) FROM ${s}.call_permit c WHERE c.tenant_id = $1 AND c.counted_at > t.now - $3::float8 * interval '1 millisecond') AS day_count,
         (SELECT count(*) FROM ${s}.call_permit c WHERE c.counted_at > t.now - $4::float8 * interval '1 millisecond') AS app_count,
         (SELECT count(*) FROM ${s}.call_permit c WHERE c.tenant_id = $1 AND c.finished_at IS NULL AND c.lease_expires_at > t.now) AS in_flight,
         (SELECT extract(epoch FROM min(c.lease_expires_at)) * 1000 FROM ${s}.call_permit c
            WHERE c.tenant_id = $1 AND c.finished_at IS NULL AND c.lease_expires_at > t.now) AS first_lease_expiry_ms,
         extract(epoch FROM ts.blocked_until) * 1000 AS blocked_until_ms,
         coalesce(ts.minute_shortfall, 0) AS minute_shortfall,
         extract(epoch FROM ts.minute_shortfall_until) * 1000 AS minute_shortfall_until_ms,
         coalesce(ts.day_shortfall, 0) AS day_shortfall,
         extract(epoch FROM ts.day_shortfall_until) * 1000 AS day_shortfall_until_ms,
         extract(epoch FROM app.blocked_until) * 1000 AS app_blocked_until_ms,
         coalesce(app.minute_shortfall, 0) AS app_shortfall,
         extract(epoch FROM app.minute_shortfall_until) * 1000 AS app_shortfall_until_ms
       FROM t
       LEFT JOIN ${s}.tenant_state ts ON ts.tenant_id = $1
       LEFT JOIN ${s}.tenant_state app ON app.tenant_id = '${APP_ROW}'`,
      [tenantId, minuteMs, dayMs, appMs],
    );
    const r = rows[0];
    return {
      nowMs: Number(r.now_ms),
      minuteCount: Number(r.minute_count),
      dayCount: Number(r.day_count),
      appCount: Number(r.app_count),
      inFlight: Number(r.in_flight),
      firstLeaseExpiryMs: numberOrNull(r.first_lease_expiry_ms),
      blockedUntilMs: numberOrNull(r.blocked_until_ms),
      minuteShortfall: Number(r.minute_shortfall),
      minuteShortfallUntilMs: numberOrNull(r.minute_shortfall_until_ms),
      dayShortfall: Number(r.day_shortfall),
      dayShortfallUntilMs: numberOrNull(r.day_shortfall_until_ms),
      appBlockedUntilMs: numberOrNull(r.app_blocked_until_ms),
      appShortfall: Number(r.app_shortfall),
      appShortfallUntilMs: numberOrNull(r.app_shortfall_until_ms),
    };
  }

  /** 0 if a call may start now, else how long until the most distant blocking constraint clears. */
  private async waitNeeded(client: PoolClient, tenantId: string, snap: Snapshot): Promise<number> {
    const { limits } = this.options;
    const { minuteMs, dayMs, appMs } = this.windows();
    const now = snap.nowMs;
    const waits: number[] = [];
    for (const until of [snap.blockedUntilMs, snap.appBlockedUntilMs]) {
      if (until !== null && until > now) waits.push(until - now);
    }
    if (snap.inFlight >= limits.concurrent) {
      const untilExpiry = snap.firstLeaseExpiryMs === null ? IN_FLIGHT_POLL_MS : snap.firstLeaseExpiryMs - now;
      waits.push(Math.max(1, Math.min(IN_FLIGHT_POLL_MS, untilExpiry)));
    }
    const windows: Array<{ count: number; limit: number; shortfall: number; shortfallUntil: number | null; windowMs: number; tenant: string | null }> = [
      { count: snap.minuteCount, limit: limits.perMinute, shortfall: snap.minuteShortfall, shortfallUntil: snap.minuteShortfallUntilMs, windowMs: minuteMs, tenant: tenantId },
      { count: snap.dayCount, limit: limits.perDay, shortfall: snap.dayShortfall, shortfallUntil: snap.dayShortfallUntilMs, windowMs: dayMs, tenant: tenantId },
      { count: snap.appCount, limit: limits.appPerMinute, shortfall: snap.appShortfall, shortfallUntil: snap.appShortfallUntilMs, windowMs: appMs, tenant: null },
    ];
    for (const w of windows) {
      const shortfallActive = w.shortfallUntil !== null && w.shortfallUntil > now ? w.shortfall : 0;
      const effective = w.limit - shortfallActive;
      if (w.count < effective) continue;
      if (effective <= 0) {
        waits.push(Math.max(1, (w.shortfallUntil ?? now + w.windowMs) - now));
        continue;
      }
      // The call that has to age out of the window before one more fits.
      const leaving = await this.nthOldestCounted(client, w.tenant, now, w.windowMs, w.count - effective);
      waits.push(leaving === null ? IN_FLIGHT_POLL_MS : Math.max(1, leaving + w.windowMs - now));
    }
    return waits.length === 0 ? 0 : Math.max(...waits);
  }

  private async nthOldestCounted(client: PoolClient, tenantId: string | null, nowMs: number, windowMs: number, offset: number): Promise<number | null> {
    const params: unknown[] = [nowMs, windowMs, offset];
    let tenantFilter = '';
    if (tenantId !== null) {
      params.push(tenantId);
      tenantFilter = 'AND tenant_id = $4';
    }
    const { rows } = await client.query(
      `SELECT extract(epoch FROM counted_at) * 1000 AS counted_ms, finished_at IS NULL AS open FROM ${this.schema}.call_permit
       WHERE counted_at > to_timestamp(($1::float8 - $2::float8) / 1000) ${tenantFilter}
       ORDER BY counted_at OFFSET $3::int LIMIT 1`,
      params,
    );
    if (rows.length === 0) return null;
    // Still in flight: it will be counted from its finish, which is not known yet.
    return rows[0].open ? null : Number(rows[0].counted_ms);
  }

  private async release(tenantId: string, permitId: string, observation: BudgetObservation = {}): Promise<void> {
    try {
      await this.pool.query(`UPDATE ${this.schema}.call_permit SET finished_at = clock_timestamp(), counted_at = clock_timestamp() WHERE id = $1`, [permitId]);
      // On a 429 Retry-After says exactly when to come back; its X-*-Remaining (0) would hold us back longer.
      if (observation.rateLimited) await this.recordRateLimited(tenantId, observation.rateLimited);
      else if (observation.headers) await this.recordRemaining(tenantId, observation.headers);
    } catch (error) {
      // The lease expires on its own; a failed release must not fail a call that Xero already answered.
      this.options.logger?.warn(`Could not release Xero budget permit: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A 429 blocks every process: the tenant (or the whole app, for the app limit) waits out Retry-After. */
  private async recordRateLimited(tenantId: string, rateLimited: NonNullable<BudgetObservation['rateLimited']>): Promise<void> {
    if (rateLimited.retryAfterMs === undefined) return;
    const row = /app/i.test(rateLimited.limit ?? '') ? APP_ROW : tenantId;
    await this.pool.query(
      `INSERT INTO ${this.schema}.tenant_state (tenant_id, blocked_until, updated_at)
       VALUES ($1, clock_timestamp() + $2::float8 * interval '1 millisecond', clock_timestamp())
       ON CONFLICT (tenant_id) DO UPDATE SET
         blocked_until = greatest(coalesce(${this.schema}.tenant_state.blocked_until, excluded.blocked_until), excluded.blocked_until),
         updated_at = excluded.updated_at`,
      [row, rateLimited.retryAfterMs],
    );
  }

  /**
   * Xero's X-*-Remaining headers include calls we did not make (another deployment on the same
   * organisation). When Xero says fewer remain than our own count implies, the difference is held back
   * for one window; each later response replaces it.
   */
  private async recordRemaining(tenantId: string, headers: Record<string, string>): Promise<void> {
    const minRemaining = intHeader(headers['x-minlimit-remaining']);
    const dayRemaining = intHeader(headers['x-daylimit-remaining']);
    const appRemaining = intHeader(headers['x-appminlimit-remaining']);
    if (minRemaining === undefined && dayRemaining === undefined && appRemaining === undefined) return;
    const { limits } = this.options;
    const { minuteMs, dayMs, appMs } = this.windows();
    const s = this.schema;
    const { rows } = await this.pool.query(
      `WITH t AS (SELECT clock_timestamp() AS now)
       SELECT
         (SELECT count(*) FROM ${s}.call_permit c WHERE c.tenant_id = $1 AND c.counted_at > t.now - $2::float8 * interval '1 millisecond') AS minute_count,
         (SELECT count(*) FROM ${s}.call_permit c WHERE c.tenant_id = $1 AND c.counted_at > t.now - $3::float8 * interval '1 millisecond') AS day_count,
         CASE WHEN $5 THEN (SELECT count(*) FROM ${s}.call_permit c WHERE c.counted_at > t.now - $4::float8 * interval '1 millisecond') ELSE 0 END AS app_count
       FROM t`,
      [tenantId, minuteMs, dayMs, appMs, appRemaining !== undefined],
    );
    const r = rows[0];
    const shortfall = (limit: number, used: number, reported: number | undefined) =>
      reported === undefined ? null : Math.max(0, limit - Number(used) - reported);
    const minuteShortfall = shortfall(limits.perMinute, r.minute_count, minRemaining);
    const dayShortfall = shortfall(limits.perDay, r.day_count, dayRemaining);
    const appShortfall = shortfall(limits.appPerMinute, r.app_count, appRemaining);
    await this.upsertShortfall(tenantId, minuteShortfall, minuteMs, dayShortfall, dayMs);
    if (appShortfall !== null) await this.upsertShortfall(APP_ROW, appShortfall, appMs, null, dayMs);
  }

  private async upsertShortfall(row: string, minute: number | null, minuteMs: number, day: number | null, dayMs: number): Promise<void> {
    if (minute === null && day === null) return;
    const s = this.schema;
    await this.pool.query(
      `INSERT INTO ${s}.tenant_state (tenant_id, minute_shortfall, minute_shortfall_until, day_shortfall, day_shortfall_until, updated_at)
       VALUES ($1, coalesce($2, 0), clock_timestamp() + $3::float8 * interval '1 millisecond',
               coalesce($4, 0), clock_timestamp() + $5::float8 * interval '1 millisecond', clock_timestamp())
       ON CONFLICT (tenant_id) DO UPDATE SET
         minute_shortfall = CASE WHEN $2::int IS NULL THEN ${s}.tenant_state.minute_shortfall ELSE excluded.minute_shortfall END,
         minute_shortfall_until = CASE WHEN $2::int IS NULL THEN ${s}.tenant_state.minute_shortfall_until ELSE excluded.minute_shortfall_until END,
         day_shortfall = CASE WHEN $4::int IS NULL THEN ${s}.tenant_state.day_shortfall ELSE excluded.day_shortfall END,
         day_shortfall_until = CASE WHEN $4::int IS NULL THEN ${s}.tenant_state.day_shortfall_until ELSE excluded.day_shortfall_until END,
         updated_at = excluded.updated_at`,
      [row, minute, minuteMs, day, dayMs],
    );
  }

  /** Old permits only matter while inside a window; delete them in the background now and then. */
  private maybePrune(): void {
    if (Date.now() < this.nextPruneAt) return;
    this.nextPruneAt = Date.now() + PRUNE_EVERY_MS;
    const { minuteMs, dayMs, appMs } = this.windows();
    const keepMs = Math.max(minuteMs, dayMs, appMs) + 60_000;
    this.pool
      .query(
        `DELETE FROM ${this.schema}.call_permit WHERE id IN (
           SELECT id FROM ${this.schema}.call_permit
           WHERE counted_at < clock_timestamp() - $1::float8 * interval '1 millisecond'
             AND (finished_at IS NOT NULL OR lease_expires_at < clock_timestamp())
           LIMIT 10000)`,
        [keepMs],
      )
      .catch((error: unknown) => this.options.logger?.warn(`Could not prune Xero budget permits: ${error instanceof Error ? error.message : String(error)}`));
  }

  private async storeCall<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      const unavailable = new XeroClientException({
        code: XeroErrorCode.Network,
        retriable: true,
        message: `The shared Xero budget store is unavailable: ${error instanceof Error ? error.message : String(error)}`,
      });
      // Kept (not enumerable, so never serialised onto an event) for callers that tell a database outage
      // from other failures by the driver's error, such as the event consumer's retries.
      Object.defineProperty(unavailable, 'cause', { value: error, enumerable: false });
      throw unavailable;
    }
  }

  private windows(): { minuteMs: number; dayMs: number; appMs: number } {
    const { limits } = this.options;
    return {
      minuteMs: limits.minuteWindowMs + limits.windowGuardMs,
      dayMs: limits.dayWindowMs + limits.windowGuardMs,
      appMs: limits.appWindowMs + limits.windowGuardMs,
    };
  }
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function intHeader(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? Math.floor(n) : undefined;
}
