import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PENDING_OUTCOMES } from '../activity/domain/sync-entity';
import { Tables } from '../database/tables';
import { summariseReceivables } from '../overview/domain/aged-receivables';
import { countByStatus } from '../overview/domain/status-folding';
import { ConsoleException, ConsoleErrorCode } from './console.exception';
import { ErrorsQuery, OverviewQuery, SyncLogQuery } from './console-api.dto';

export interface Page<T> {
  companyId: string;
  page: number;
  pageSize: number;
  total: number;
  items: T[];
}

const iso = (value: Date | string | null): string | null => (value ? new Date(value).toISOString() : null);

const INVOICE_STATUSES = ['requested', 'failed', 'raised', 'partially_paid', 'paid', 'unpaid', 'voided', 'deleted', 'cancelled'] as const;
const QUOTE_STATUSES = ['requested', 'failed', 'draft', 'sent', 'accepted', 'declined', 'invoiced', 'cancelled'] as const;
const JOB_STATUSES = ['assigned', 'sync_failed', 'in_progress', 'completed', 'cancelled'] as const;

/** A WHERE clause built up with its parameters, the company always first. */
class Filter {
  readonly parts: string[] = ['"company_id" = $1'];
  readonly values: unknown[];

  constructor(companyId: string) {
    this.values = [companyId];
  }

  add(sql: (param: string) => string, value: unknown): void {
    if (value === undefined || value === null || value === '') return;
    this.values.push(value);
    this.parts.push(sql(`$${this.values.length}`));
  }

  get where(): string {
    return this.parts.join(' AND ');
  }
}

const likeText = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The console's views, every one of them read for one company. */
@Injectable()
export class ConsoleViews {
  constructor(private readonly dataSource: DataSource) {}

  async syncLog(companyId: string, query: SyncLogQuery): Promise<Page<Record<string, unknown>>> {
    const filter = new Filter(companyId);
    filter.add((p) => `"entity" = ${p}`, query.entity);
    filter.add((p) => `"outcome" = ${p}`, query.status);
    filter.add((p) => `"started_at" >= ${p}`, query.from);
    filter.add((p) => `"started_at" < ${p}`, query.to);
    filter.add((p) => `"search" LIKE ${p}`, query.q ? likeText(query.q) : undefined);
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM ${Tables.syncLog} WHERE ${filter.where}`, filter.values);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM ${Tables.syncLog} WHERE ${filter.where} ORDER BY "started_at" DESC, "id" DESC LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
      filter.values,
    );
    return { companyId, page: query.page, pageSize: query.pageSize, total, items: rows.map(syncLogEntry) };
  }

  async syncLogEntry(companyId: string, id: string): Promise<Record<string, unknown>> {
    const rows: Record<string, unknown>[] = /^\d{1,18}$/.test(id) ? await this.dataSource.query(`SELECT * FROM ${Tables.syncLog} WHERE "company_id" = $1 AND "id" = $2`, [companyId, id]) : [];
    if (!rows[0]) throw new ConsoleException(ConsoleErrorCode.NotFound, `No sync log entry ${id} for ${companyId}`);
    const entry = syncLogEntry(rows[0]);
    // The other records of the same attempt, so a batch is seen whole.
    const siblings: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM ${Tables.syncLog} WHERE "company_id" = $1 AND "attempt_id" = $2 AND "id" <> $3 ORDER BY "id" LIMIT 100`,
      [companyId, rows[0]['attempt_id'], id],
    );
    return { ...entry, attemptFailure: rows[0]['attempt_failure'], batch: siblings.map(syncLogEntry) };
  }

  async errors(companyId: string, query: ErrorsQuery): Promise<Page<Record<string, unknown>>> {
    const filter = new Filter(companyId);
    filter.add((p) => `"entity" = ${p}`, query.entity);
    filter.add((p) => `"source" = ${p}`, query.source);
    filter.add((p) => `"occurred_at" >= ${p}`, query.from);
    filter.add((p) => `"occurred_at" < ${p}`, query.to);
    filter.add(
      (p) => `lower(concat_ws(' ', "topic", "reference", "code", "reason", "messages"::text)) LIKE ${p}`,
      query.q ? likeText(query.q) : undefined,
    );
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM ${Tables.errors} WHERE ${filter.where}`, filter.values);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM ${Tables.errors} WHERE ${filter.where} ORDER BY "occurred_at" DESC, "id" DESC LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
      filter.values,
    );
    return { companyId, page: query.page, pageSize: query.pageSize, total, items: rows.map((r) => errorEntry(r, false)) };
  }

  async error(companyId: string, id: string): Promise<Record<string, unknown>> {
    const rows: Record<string, unknown>[] = /^\d{1,18}$/.test(id) ? await this.dataSource.query(`SELECT * FROM ${Tables.errors} WHERE "company_id" = $1 AND "id" = $2`, [companyId, id]) : [];
    if (!rows[0]) throw new ConsoleException(ConsoleErrorCode.NotFound, `No error ${id} for ${companyId}`);
    return errorEntry(rows[0], true);
  }

  async syncInfo(companyId: string): Promise<{ companyId: string; entities: Record<string, unknown>[] }> {
    const rows: { entity: string; last_push_at: Date | null; last_pull_at: Date | null; last_failure_at: Date | null; pending: number }[] = await this.dataSource.query(
      `SELECT e."entity", i."last_push_at", i."last_pull_at", i."last_failure_at", COALESCE(p."pending", 0)::int AS "pending"
       FROM (SELECT "entity" FROM ${Tables.syncInfo} WHERE "company_id" = $1 UNION SELECT "entity" FROM ${Tables.operationStates} WHERE "company_id" = $1) e
       LEFT JOIN ${Tables.syncInfo} i ON i."company_id" = $1 AND i."entity" = e."entity"
       LEFT JOIN (SELECT "entity", count(*) AS "pending" FROM ${Tables.operationStates} WHERE "company_id" = $1 AND "outcome" = ANY($2) GROUP BY "entity") p ON p."entity" = e."entity"
       ORDER BY e."entity"`,
      [companyId, PENDING_OUTCOMES],
    );
    return {
      companyId,
      entities: rows.map((r) => ({ entity: r.entity, lastPushAt: iso(r.last_push_at), lastPullAt: iso(r.last_pull_at), lastFailureAt: iso(r.last_failure_at), pending: r.pending })),
    };
  }

  async overview(companyId: string, query: OverviewQuery): Promise<Record<string, unknown>> {
    const asOf = query.asOf ?? new Date().toISOString().slice(0, 10);
    const counts = (table: string) =>
      this.dataSource.query(`SELECT "status", count(*)::int AS "count" FROM ${table} WHERE "company_id" = $1 GROUP BY "status"`, [companyId]) as Promise<{ status: string; count: number }[]>;
    const [invoiceCounts, quoteCounts, jobCounts, open, connection] = await Promise.all([
      counts(Tables.invoices),
      counts(Tables.quotes),
      counts(Tables.jobs),
      this.dataSource.query(
        `SELECT "currency_code", to_char("due_date", 'YYYY-MM-DD') AS "due_date", "amount_due"::text AS "amount_due" FROM ${Tables.invoices}
         WHERE "company_id" = $1 AND "status" IN ('raised', 'partially_paid', 'unpaid') AND "amount_due" > 0`,
        [companyId],
      ) as Promise<{ currency_code: string | null; due_date: string | null; amount_due: string }[]>,
      this.dataSource.query(`SELECT * FROM ${Tables.connections} WHERE "company_id" = $1`, [companyId]) as Promise<Record<string, unknown>[]>,
    ]);
    const invoices = countByStatus(invoiceCounts, INVOICE_STATUSES);
    const raised = Object.entries(invoices)
      .filter(([status]) => !['requested', 'failed'].includes(status))
      .reduce((sum, [, n]) => sum + n, 0);
    const receivables = summariseReceivables(
      open.map((r) => ({ currencyCode: r.currency_code ?? '—', dueDate: r.due_date, amountDue: r.amount_due })),
      asOf,
    );
    const c = connection[0];
    return {
      companyId,
      asOf,
      connection: c ? { status: c['status'], tenantId: c['tenant_id'], organisationName: c['organisation_name'], reason: c['reason'], changedAt: iso(c['changed_at'] as Date) } : null,
      invoices: {
        raised,
        paid: invoices['paid'],
        outstanding: receivables.reduce((n, r) => n + r.outstanding.count, 0),
        overdue: receivables.reduce((n, r) => n + r.overdue.count, 0),
        failed: invoices['failed'],
        byStatus: invoices,
        receivables,
      },
      quotes: { byStatus: countByStatus(quoteCounts, QUOTE_STATUSES) },
      jobs: { byStatus: countByStatus(jobCounts, JOB_STATUSES) },
    };
  }
}

function syncLogEntry(r: Record<string, unknown>): Record<string, unknown> {
  return {
    id: String(r['id']),
    service: r['service'],
    kind: r['kind'],
    entity: r['entity'],
    direction: r['direction'],
    target: r['target'],
    outcome: r['outcome'],
    xeroId: r['xero_id'],
    failure: r['failure'],
    attempt: r['attempt'],
    attemptId: r['attempt_id'],
    batchId: r['batch_id'],
    operationId: r['operation_id'],
    startedAt: iso(r['started_at'] as Date),
    durationMs: r['duration_ms'],
    callsUsed: r['calls_used'],
    xeroStatus: r['xero_status'],
    attemptOutcome: r['attempt_outcome'],
  };
}

function errorEntry(r: Record<string, unknown>, detail: boolean): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    id: String(r['id']),
    source: r['source'],
    topic: r['topic'],
    entity: r['entity'],
    reference: r['reference'],
    code: r['code'],
    messages: r['messages'],
    reason: r['reason'],
    consumer: r['consumer'],
    retry: r['retry'],
    eventId: r['event_id'],
    occurredAt: iso(r['occurred_at'] as Date),
  };
  if (!detail) return entry;
  const original = r['original'] as string | null;
  let originalEvent: unknown = null;
  try {
    originalEvent = original ? JSON.parse(original) : null;
  } catch {
    originalEvent = null;
  }
  return { ...entry, headers: r['headers'], original, originalEvent };
}
