import { LedgerlineEvent, Topics } from '@ledgerline/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { directionOfKind, entityOfKind, isSuccessOutcome } from './domain/sync-entity';

/** The sync log and sync info, written from `sync.activity`: one log row per record an attempt concerned. */
@Injectable()
export class ActivityRepository {
  async record(tx: EntityManager, event: LedgerlineEvent<typeof Topics.SyncActivity>): Promise<void> {
    const p = event.payload;
    const entity = entityOfKind(p.kind);
    const direction = directionOfKind(p.kind);
    for (const target of p.targets) {
      const failure = target.failure ?? p.failure ?? null;
      const search = [p.kind, p.service, target.target, target.xeroId ?? '', failure?.code ?? '', ...(failure?.messages ?? [])].join(' ').toLowerCase();
      await tx.query(
        `INSERT INTO ${Tables.syncLog} ("company_id", "event_id", "service", "kind", "entity", "direction", "attempt_id", "batch_id", "attempt", "started_at",
           "duration_ms", "calls_used", "xero_status", "attempt_outcome", "attempt_failure", "operation_id", "target", "outcome", "xero_id", "failure", "search")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
         ON CONFLICT ("event_id", "operation_id") DO NOTHING`,
        [
          event.companyId, event.id, p.service, p.kind, entity, direction, p.attemptId, p.batchId, p.attempt, p.startedAt,
          p.durationMs, p.callsUsed, p.xeroStatus ?? null, p.outcome, p.failure ? JSON.stringify(p.failure) : null,
          target.operationId, target.target, target.outcome, target.xeroId ?? null, failure ? JSON.stringify(failure) : null, search,
        ],
      );
      // The latest word on each operation decides whether it is still pending.
      await tx.query(
        `INSERT INTO ${Tables.operationStates} ("company_id", "operation_id", "entity", "outcome", "at") VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT ("company_id", "operation_id") DO UPDATE SET "outcome" = EXCLUDED."outcome", "at" = EXCLUDED."at"
         WHERE ${Tables.operationStates}."at" <= EXCLUDED."at"`,
        [event.companyId, target.operationId, entity, target.outcome, p.startedAt],
      );
    }
    const succeeded = p.targets.length === 0 ? isSuccessOutcome(p.outcome) : p.targets.some((t) => isSuccessOutcome(t.outcome));
    const failed = p.outcome === 'failed' || p.targets.some((t) => t.outcome === 'failed');
    const finishedAt = new Date(Date.parse(p.startedAt) + p.durationMs).toISOString();
    const column = direction === 'push' ? '"last_push_at"' : '"last_pull_at"';
    await tx.query(
      `INSERT INTO ${Tables.syncInfo} ("company_id", "entity", ${column}, "last_failure_at") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("company_id", "entity") DO UPDATE SET
         ${column} = GREATEST(${Tables.syncInfo}.${column}, EXCLUDED.${column}),
         "last_failure_at" = GREATEST(${Tables.syncInfo}."last_failure_at", EXCLUDED."last_failure_at")`,
      [event.companyId, entity, succeeded ? finishedAt : null, failed ? finishedAt : null],
    );
  }
}
