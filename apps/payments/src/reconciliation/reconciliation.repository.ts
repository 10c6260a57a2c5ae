import { queryRows } from '@ledgerline/platform';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { InvoiceLedger } from './domain/invoice-ledger';
import { PollResource } from './domain/poll-plan';
import { Balance, ReconciliationDecision } from './domain/reconcile-invoice';

export type Standing = 'unpaid' | 'partially_paid' | 'paid' | 'voided' | 'deleted';

/** An invoice Ledgerline raised, as reconciliation keeps it. */
export interface ReconciledInvoice {
  companyId: string;
  xeroInvoiceId: string;
  requestId: string | null;
  correlationId: string;
  ledger: InvoiceLedger;
  balance: Balance;
  standing: Standing;
  raisedAt: Date;
  updatedAt: Date;
}

interface InvoiceRow {
  company_id: string;
  xero_invoice_id: string;
  request_id: string | null;
  correlation_id: string;
  ledger: InvoiceLedger;
  balance: Balance;
  standing: Standing;
  raised_at: Date;
  updated_at: Date;
}

const toInvoice = (row: InvoiceRow): ReconciledInvoice => ({
  companyId: row.company_id,
  xeroInvoiceId: row.xero_invoice_id,
  requestId: row.request_id,
  correlationId: row.correlation_id,
  ledger: row.ledger,
  balance: row.balance,
  standing: row.standing,
  raisedAt: row.raised_at,
  updatedAt: row.updated_at,
});

export interface HistoryEntry {
  companyId: string;
  xeroInvoiceId: string;
  decision: ReconciliationDecision;
  observed: unknown;
  source: 'webhook' | 'poll';
  operationId: string | null;
  eventId: string;
}

/** Every read and write of reconciliation's tables; each query is scoped to its company. */
@Injectable()
export class ReconciliationRecords {
  /** Starts an invoice's ledger from invoice.created; a redelivered or repeated announcement changes nothing. */
  async raise(tx: EntityManager, invoice: { ledger: InvoiceLedger; balance: Balance; correlationId: string; raisedAt: string }): Promise<boolean> {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO ${Tables.reconciledInvoices}
         ("company_id", "xero_invoice_id", "request_id", "currency_code", "total", "correlation_id", "ledger", "balance", "standing", "raised_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'unpaid', $9)
       ON CONFLICT ("company_id", "xero_invoice_id") DO NOTHING RETURNING "xero_invoice_id"`,
      [
        invoice.ledger.companyId,
        invoice.ledger.xeroInvoiceId,
        invoice.ledger.requestId ?? null,
        invoice.ledger.currencyCode,
        invoice.ledger.total,
        invoice.correlationId,
        JSON.stringify(invoice.ledger),
        JSON.stringify(invoice.balance),
        invoice.raisedAt,
      ],
    );
    return inserted.length > 0;
  }

  /** Of these Xero invoice ids, those Ledgerline raised for the company. */
  async known(db: EntityManager, companyId: string, invoiceIds: string[]): Promise<Set<string>> {
    if (invoiceIds.length === 0) return new Set();
    const rows: { xero_invoice_id: string }[] = await db.query(
      `SELECT "xero_invoice_id" FROM ${Tables.reconciledInvoices} WHERE "company_id" = $1 AND "xero_invoice_id" = ANY($2::uuid[])`,
      [companyId, invoiceIds.map((id) => id.toLowerCase())],
    );
    return new Set(rows.map((r) => r.xero_invoice_id));
  }

  /** Locks the company's ledgers of these invoices for a decision, in one order so two looks never deadlock. */
  async lock(tx: EntityManager, companyId: string, invoiceIds: string[]): Promise<Map<string, ReconciledInvoice>> {
    const rows: InvoiceRow[] = await tx.query(
      `SELECT * FROM ${Tables.reconciledInvoices} WHERE "company_id" = $1 AND "xero_invoice_id" = ANY($2::uuid[]) ORDER BY "xero_invoice_id" FOR UPDATE`,
      [companyId, invoiceIds.map((id) => id.toLowerCase())],
    );
    return new Map(rows.map((r) => [r.xero_invoice_id, toInvoice(r)]));
  }

  async save(tx: EntityManager, companyId: string, xeroInvoiceId: string, ledger: InvoiceLedger, balance: Balance, standing: Standing): Promise<void> {
    await tx.query(
      `UPDATE ${Tables.reconciledInvoices} SET "ledger" = $3, "balance" = $4, "standing" = $5, "updated_at" = now()
       WHERE "company_id" = $1 AND "xero_invoice_id" = $2`,
      [companyId, xeroInvoiceId, JSON.stringify(ledger), JSON.stringify(balance), standing],
    );
  }

  async find(db: EntityManager, companyId: string, xeroInvoiceId: string): Promise<ReconciledInvoice | undefined> {
    const rows: InvoiceRow[] = await db.query(`SELECT * FROM ${Tables.reconciledInvoices} WHERE "company_id" = $1 AND "xero_invoice_id" = $2`, [companyId, xeroInvoiceId.toLowerCase()]);
    return rows[0] ? toInvoice(rows[0]) : undefined;
  }

  async recordHistory(tx: EntityManager, entry: HistoryEntry & { id: string }): Promise<void> {
    await tx.query(
      `INSERT INTO ${Tables.reconciliationHistory} ("id", "company_id", "xero_invoice_id", "decision", "detail", "observed", "source", "operation_id", "event_id")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [entry.id, entry.companyId, entry.xeroInvoiceId, entry.decision.kind, JSON.stringify(entry.decision), JSON.stringify(entry.observed ?? null), entry.source, entry.operationId, entry.eventId],
    );
  }

  async history(db: EntityManager, companyId: string, xeroInvoiceId: string): Promise<{ decision: string; detail: unknown; observed: unknown; source: string; decided_at: Date; event_id: string | null }[]> {
    return db.query(
      `SELECT "decision", "detail", "observed", "source", "decided_at", "event_id" FROM ${Tables.reconciliationHistory}
       WHERE "company_id" = $1 AND "xero_invoice_id" = $2 ORDER BY "seq"`,
      [companyId, xeroInvoiceId.toLowerCase()],
    );
  }

  async paymentRecorded(tx: EntityManager, companyId: string, decision: Extract<ReconciliationDecision, { kind: 'payment.recorded' }>): Promise<void> {
    await tx.query(
      `INSERT INTO ${Tables.invoicePayments} ("company_id", "xero_payment_id", "xero_invoice_id", "amount", "currency_code", "payment_date", "reference", "status")
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'recorded') ON CONFLICT ("company_id", "xero_payment_id") DO NOTHING`,
      [companyId, decision.xeroPaymentId, decision.xeroInvoiceId, decision.amount, decision.currencyCode, decision.date, decision.reference ?? null],
    );
  }

  async paymentReversed(tx: EntityManager, companyId: string, xeroPaymentId: string): Promise<void> {
    await tx.query(
      `UPDATE ${Tables.invoicePayments} SET "status" = 'reversed', "reversed_at" = now() WHERE "company_id" = $1 AND "xero_payment_id" = $2 AND "status" = 'recorded'`,
      [companyId, xeroPaymentId],
    );
  }

  /** A company's payments, newest first, filtered by payment date and invoice. */
  async payments(
    db: EntityManager,
    companyId: string,
    filter: { from?: string; to?: string; xeroInvoiceId?: string; page: number; pageSize: number },
  ): Promise<{ rows: Record<string, unknown>[]; total: number }> {
    const where = [`"company_id" = $1`];
    const params: unknown[] = [companyId];
    if (filter.from) where.push(`"payment_date" >= $${params.push(filter.from)}`);
    if (filter.to) where.push(`"payment_date" <= $${params.push(filter.to)}`);
    if (filter.xeroInvoiceId) where.push(`"xero_invoice_id" = $${params.push(filter.xeroInvoiceId.toLowerCase())}`);
    const [{ total }]: { total: number }[] = await db.query(`SELECT count(*)::int AS "total" FROM ${Tables.invoicePayments} WHERE ${where.join(' AND ')}`, params);
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT "xero_payment_id", "xero_invoice_id", "amount"::text AS "amount", "currency_code", to_char("payment_date", 'YYYY-MM-DD') AS "payment_date", "reference", "status", "recorded_at", "reversed_at"
       FROM ${Tables.invoicePayments} WHERE ${where.join(' AND ')}
       ORDER BY "payment_date" DESC, "recorded_at" DESC, "xero_payment_id" LIMIT $${params.push(filter.pageSize)} OFFSET $${params.push((filter.page - 1) * filter.pageSize)}`,
      params,
    );
    return { rows, total };
  }

  // --- The poll's checkpoints ---

  /** The poll reads from no later than `instant` (an invoice raised then, or a company's earliest when it connects). */
  async lowerCheckpoints(tx: EntityManager, companyId: string, resources: readonly PollResource[], instant: string): Promise<void> {
    for (const resource of resources) {
      await tx.query(
        `INSERT INTO ${Tables.pollCheckpoints} ("company_id", "resource", "modified_since") VALUES ($1, $2, $3)
         ON CONFLICT ("company_id", "resource") DO UPDATE SET "modified_since" = LEAST(${Tables.pollCheckpoints}."modified_since", EXCLUDED."modified_since"), "updated_at" = now()`,
        [companyId, resource, instant],
      );
    }
  }

  /** The instant Ledgerline raised the company's first invoice it knows, if any. */
  async earliestRaised(tx: EntityManager, companyId: string): Promise<string | undefined> {
    const [row]: { earliest: Date | null }[] = await tx.query(`SELECT min("raised_at") AS "earliest" FROM ${Tables.reconciledInvoices} WHERE "company_id" = $1`, [companyId]);
    return row?.earliest ? row.earliest.toISOString() : undefined;
  }

  /**
   * A run from `since` ended at `highWater`. If the checkpoint was lowered while it ran (an invoice raised
   * meanwhile), the lower one stays, so the next run reads that invoice's changes too. Instants travel as ISO
   * strings (milliseconds), so they are compared to the millisecond.
   */
  async advanceCheckpoint(tx: EntityManager, companyId: string, resource: PollResource, since: string, highWater: string | undefined): Promise<void> {
    await tx.query(
      `UPDATE ${Tables.pollCheckpoints}
       SET "modified_since" = CASE WHEN $4::timestamptz IS NULL THEN "modified_since"
                                   WHEN date_trunc('milliseconds', "modified_since") = date_trunc('milliseconds', $3::timestamptz) THEN GREATEST("modified_since", $4::timestamptz)
                                   ELSE LEAST("modified_since", $4::timestamptz) END,
           "last_run_at" = now(), "updated_at" = now()
       WHERE "company_id" = $1 AND "resource" = $2`,
      [companyId, resource, since, highWater ?? null],
    );
  }

  /** Checkpoints of companies connected now: what the timer polls. */
  async dueCheckpoints(db: EntityManager, resources: readonly PollResource[]): Promise<{ companyId: string; resource: PollResource; since: string }[]> {
    const rows: { company_id: string; resource: PollResource; modified_since: Date }[] = await db.query(
      `SELECT c."company_id", c."resource", c."modified_since" FROM ${Tables.pollCheckpoints} c
       JOIN ${Tables.tenantLinks} l ON l."company_id" = c."company_id" AND l."status" = 'connected'
       WHERE c."resource" = ANY($1::text[]) ORDER BY c."company_id", c."resource"`,
      [resources],
    );
    return rows.map((r) => ({ companyId: r.company_id, resource: r.resource, since: r.modified_since.toISOString() }));
  }

  /** Whether the company is connected to Xero now (a round of the timer may outlast a disconnect). */
  async connected(tx: EntityManager, companyId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM ${Tables.tenantLinks} WHERE "company_id" = $1 AND "status" = 'connected'`, [companyId]);
    return rows.length > 0;
  }

  async checkpoint(tx: EntityManager, companyId: string, resource: PollResource): Promise<string | undefined> {
    const rows: { modified_since: Date }[] = await queryRows(tx, `SELECT "modified_since" FROM ${Tables.pollCheckpoints} WHERE "company_id" = $1 AND "resource" = $2`, [companyId, resource]);
    return rows[0]?.modified_since.toISOString();
  }
}
