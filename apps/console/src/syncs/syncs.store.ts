import { FailureDetail, SyncProgressPayload, SyncScope } from '@ledgerline/contracts';
import { queryRows } from '@ledgerline/platform';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { expiredMessage, SyncState } from './domain/sync-request';

export interface SyncView {
  syncId: string;
  companyId: string;
  scope: SyncScope;
  state: SyncState;
  requestedBy: string;
  requestedAt: string;
  updatedAt: string;
  pagesRead: number;
  recordsChanged: number;
  errors: number;
  failure: FailureDetail | null;
}

export interface SyncEventView {
  id: number;
  syncId: string;
  scope: SyncScope;
  state: SyncState;
  pagesRead: number;
  recordsChanged: number;
  errors: number;
  failure: FailureDetail | null;
  at: string;
}

interface SyncRow {
  sync_id: string;
  company_id: string;
  scope: SyncScope;
  state: SyncState;
  requested_by: string;
  requested_at: Date;
  updated_at: Date;
  pages_read: number;
  records_changed: number;
  errors: number;
  failure: FailureDetail | null;
}

const view = (row: SyncRow): SyncView => ({
  syncId: row.sync_id,
  companyId: row.company_id,
  scope: row.scope,
  state: row.state,
  requestedBy: row.requested_by,
  requestedAt: new Date(row.requested_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
  pagesRead: row.pages_read,
  recordsChanged: row.records_changed,
  errors: row.errors,
  failure: row.failure,
});

/**
 * Manual syncs: the (company, scope) lock as a row with a lease, shared by every replica through Postgres, and each
 * sync's progress as a numbered log. Progress renews the lease; a lease that runs out releases the lock and ends the
 * sync as expired, so a worker that died holds nothing for long.
 */
@Injectable()
export class SyncsStore {
  /**
   * Takes the locks of `scopes` for the company, all or none: the syncs started, or the one already running in a
   * scope. Two replicas inserting the same lock at once meet on its primary key; the second finds it taken.
   */
  async start(
    tx: EntityManager,
    companyId: string,
    scopes: SyncScope[],
    requestedBy: string,
    leaseMs: number,
    newId: () => string,
  ): Promise<{ started: SyncView[] } | { running: SyncView }> {
    await this.expire(tx, leaseMs, { companyId, scopes });
    const started: SyncView[] = [];
    for (const scope of scopes) {
      const syncId = newId();
      const [row] = await queryRows<SyncRow>(
        tx,
        `INSERT INTO ${Tables.syncs} ("sync_id", "company_id", "scope", "state", "requested_by") VALUES ($1, $2, $3, 'requested', $4) RETURNING *`,
        [syncId, companyId, scope, requestedBy],
      );
      const locked = await queryRows<{ sync_id: string }>(
        tx,
        `INSERT INTO ${Tables.syncLocks} ("company_id", "scope", "sync_id", "lease_until") VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision / 1000))
         ON CONFLICT ("company_id", "scope") DO NOTHING RETURNING "sync_id"`,
        [companyId, scope, syncId, leaseMs],
      );
      if (locked.length === 0) {
        const [holder] = await queryRows<SyncRow>(
          tx,
          `SELECT s.* FROM ${Tables.syncLocks} l JOIN ${Tables.syncs} s ON s."sync_id" = l."sync_id" WHERE l."company_id" = $1 AND l."scope" = $2`,
          [companyId, scope],
        );
        return { running: view(holder) };
      }
      await this.appendEvent(tx, syncId, companyId, { state: 'requested', pagesRead: 0, recordsChanged: 0, errors: 0, failure: null });
      started.push(view(row));
    }
    return { started };
  }

  /**
   * Records a `sync.progress` of a sync this console started: counts, the next event in its log, and the lease renewed
   * (running) or the lock released (done, failed). Progress for a sync that already ended (expired) is ignored.
   */
  async progress(tx: EntityManager, companyId: string, progress: SyncProgressPayload, leaseMs: number): Promise<'recorded' | 'unknown' | 'ended'> {
    const [sync] = await queryRows<SyncRow>(tx, `SELECT * FROM ${Tables.syncs} WHERE "sync_id" = $1 AND "company_id" = $2 FOR UPDATE`, [progress.syncId, companyId]);
    if (!sync) return 'unknown';
    if (sync.state === 'done' || sync.state === 'failed' || sync.state === 'expired') return 'ended';
    await tx.query(
      `UPDATE ${Tables.syncs} SET "state" = $2, "pages_read" = $3, "records_changed" = $4, "errors" = $5, "failure" = $6, "updated_at" = now() WHERE "sync_id" = $1`,
      [progress.syncId, progress.state, progress.pagesRead, progress.recordsChanged, progress.errors, progress.failure ? JSON.stringify(progress.failure) : null],
    );
    await this.appendEvent(tx, progress.syncId, companyId, { ...progress, failure: progress.failure ?? null });
    if (progress.state === 'running') {
      await tx.query(`UPDATE ${Tables.syncLocks} SET "lease_until" = now() + make_interval(secs => $2::double precision / 1000) WHERE "sync_id" = $1`, [progress.syncId, leaseMs]);
    } else {
      await tx.query(`DELETE FROM ${Tables.syncLocks} WHERE "sync_id" = $1`, [progress.syncId]);
    }
    return 'recorded';
  }

  /** Ends the syncs whose lease ran out (of one company and its scopes, or one sync): the lock goes, an `expired` event closes the log. */
  async expire(tx: EntityManager, leaseMs: number, which: { companyId: string; scopes: SyncScope[] } | { syncId: string }): Promise<void> {
    const expired =
      'syncId' in which
        ? await queryRows<{ sync_id: string; company_id: string }>(
            tx,
            `DELETE FROM ${Tables.syncLocks} WHERE "sync_id" = $1 AND "lease_until" < now() RETURNING "sync_id", "company_id"`,
            [which.syncId],
          )
        : await queryRows<{ sync_id: string; company_id: string }>(
            tx,
            `DELETE FROM ${Tables.syncLocks} WHERE "company_id" = $1 AND "scope" = ANY($2) AND "lease_until" < now() RETURNING "sync_id", "company_id"`,
            [which.companyId, which.scopes],
          );
    for (const { sync_id, company_id } of expired) {
      const failure: FailureDetail = { code: 'UNEXPECTED', messages: [expiredMessage(leaseMs)], retriable: true };
      const [sync] = await queryRows<SyncRow>(
        tx,
        `UPDATE ${Tables.syncs} SET "state" = 'expired', "failure" = $2, "updated_at" = now() WHERE "sync_id" = $1 RETURNING *`,
        [sync_id, JSON.stringify(failure)],
      );
      await this.appendEvent(tx, sync_id, company_id, { state: 'expired', pagesRead: sync.pages_read, recordsChanged: sync.records_changed, errors: sync.errors, failure });
    }
  }

  async find(tx: EntityManager, companyId: string, syncId: string): Promise<SyncView | null> {
    const rows: SyncRow[] = await tx.query(`SELECT * FROM ${Tables.syncs} WHERE "sync_id" = $1 AND "company_id" = $2`, [syncId, companyId]);
    return rows[0] ? view(rows[0]) : null;
  }

  async list(tx: EntityManager, companyId: string, limit: number): Promise<SyncView[]> {
    const rows: SyncRow[] = await tx.query(`SELECT * FROM ${Tables.syncs} WHERE "company_id" = $1 ORDER BY "requested_at" DESC LIMIT $2`, [companyId, limit]);
    return rows.map(view);
  }

  /** The sync's events after `afterId`, oldest first. */
  async eventsAfter(tx: EntityManager, companyId: string, syncId: string, afterId: number): Promise<SyncEventView[]> {
    const rows: { seq: number; sync_id: string; scope: SyncScope; state: SyncState; pages_read: number; records_changed: number; errors: number; failure: FailureDetail | null; at: Date }[] =
      await tx.query(
        `SELECT e.*, s."scope" FROM ${Tables.syncEvents} e JOIN ${Tables.syncs} s ON s."sync_id" = e."sync_id"
         WHERE e."sync_id" = $1 AND e."company_id" = $2 AND e."seq" > $3 ORDER BY e."seq"`,
        [syncId, companyId, afterId],
      );
    return rows.map((r) => ({
      id: r.seq,
      syncId: r.sync_id,
      scope: r.scope,
      state: r.state,
      pagesRead: r.pages_read,
      recordsChanged: r.records_changed,
      errors: r.errors,
      failure: r.failure,
      at: new Date(r.at).toISOString(),
    }));
  }

  /** The next event of a sync's log; the sync's row is locked by the caller, so numbers never repeat or skip. */
  private async appendEvent(
    tx: EntityManager,
    syncId: string,
    companyId: string,
    event: { state: SyncState; pagesRead: number; recordsChanged: number; errors: number; failure: FailureDetail | null },
  ): Promise<void> {
    const [{ last_seq }] = await queryRows<{ last_seq: number }>(tx, `UPDATE ${Tables.syncs} SET "last_seq" = "last_seq" + 1 WHERE "sync_id" = $1 RETURNING "last_seq"`, [syncId]);
    await tx.query(
      `INSERT INTO ${Tables.syncEvents} ("sync_id", "seq", "company_id", "state", "pages_read", "records_changed", "errors", "failure") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [syncId, last_seq, companyId, event.state, event.pagesRead, event.recordsChanged, event.errors, event.failure ? JSON.stringify(event.failure) : null],
    );
  }
}
