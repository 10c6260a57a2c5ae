import { LedgerlineEvent, Topic, Topics } from '@ledgerline/contracts';
import { queryRows } from '@ledgerline/platform';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { INVOICE_STAGES, JOB_STAGES, QUOTE_STAGES, StatusAt, supersedes } from './domain/status-folding';

type Row = Record<string, unknown>;

/** Where a balance for an invoice not yet seen created is kept until it is. */
const earlyKey = (xeroInvoiceId: string) => `xero:${xeroInvoiceId}`;

/** The overview's records (invoices, quotes, jobs, the connection), folded from Ledgerline's own events. */
@Injectable()
export class OverviewRepository {
  /** Applies one event to the overview; topics the overview does not follow change nothing. */
  async apply(tx: EntityManager, event: LedgerlineEvent): Promise<void> {
    const p = event.payload as unknown as Row;
    const at = event.occurredAt;
    const company = event.companyId;
    switch (event.type as Topic) {
      case Topics.InvoiceRequested:
        await tx.query(
          `INSERT INTO ${Tables.invoices} ("company_id", "request_id", "client_id", "currency_code", "date", "due_date", "status", "status_at")
           VALUES ($1, $2, $3, $4, $5, $6, 'requested', $7)
           ON CONFLICT ("company_id", "request_id") DO UPDATE SET "client_id" = EXCLUDED."client_id", "currency_code" = COALESCE(${Tables.invoices}."currency_code", EXCLUDED."currency_code"),
             "date" = EXCLUDED."date", "due_date" = EXCLUDED."due_date"`,
          [company, p['requestId'], p['clientId'], p['currencyCode'], p['date'], p['dueDate'] ?? null, at],
        );
        return;
      case Topics.InvoiceCreated: {
        await this.lockXeroInvoice(tx, company, p['xeroId'] as string);
        await this.invoice(tx, company, p['requestId'] as string, { status: 'raised', at }, {
          xero_id: p['xeroId'], number: p['number'], currency_code: p['currencyCode'], total: p['total'], amount_due: p['amountDue'] ?? p['total'], raised_at: at,
        });
        // A balance that arrived before the invoice itself was kept under its Xero id: it joins its invoice now.
        const [early] = await queryRows<{ status: string; status_at: Date; total: string | null; amount_due: string | null; currency_code: string | null }>(
          tx,
          `DELETE FROM ${Tables.invoices} WHERE "company_id" = $1 AND "request_id" = $2 RETURNING "status", "status_at", "total", "amount_due", "currency_code"`,
          [company, earlyKey(p['xeroId'] as string)],
        );
        if (early) {
          await this.invoice(tx, company, p['requestId'] as string, { status: early.status, at: new Date(early.status_at).toISOString() }, { amount_due: early.amount_due, total: early.total });
        }
        return;
      }
      case Topics.InvoiceFailed:
        await this.invoice(tx, company, p['requestId'] as string, { status: 'failed', at }, {});
        return;
      case Topics.InvoicePaid:
      case Topics.InvoicePartiallyPaid:
      case Topics.InvoiceUnpaid:
      case Topics.InvoiceVoided:
      case Topics.InvoiceDeleted: {
        const status = { [Topics.InvoicePaid]: 'paid', [Topics.InvoicePartiallyPaid]: 'partially_paid', [Topics.InvoiceUnpaid]: 'unpaid', [Topics.InvoiceVoided]: 'voided', [Topics.InvoiceDeleted]: 'deleted' }[
          event.type as string
        ] as string;
        // Without a request id and before its invoice.created, the balance waits under the Xero id (see InvoiceCreated).
        if (p['requestId'] === undefined) await this.lockXeroInvoice(tx, company, p['xeroInvoiceId'] as string);
        const requestId =
          (p['requestId'] as string | undefined) ?? (await this.requestOfXeroInvoice(tx, company, p['xeroInvoiceId'] as string)) ?? earlyKey(p['xeroInvoiceId'] as string);
        await this.invoice(tx, company, requestId, { status, at }, { xero_id: p['xeroInvoiceId'], total: p['total'], amount_due: p['amountDue'], currency_code: p['currencyCode'] });
        return;
      }
      case Topics.QuoteRequested:
        await this.quote(tx, company, p['requestId'] as string, { status: 'requested', at });
        return;
      case Topics.QuoteCreated:
        await this.quote(tx, company, p['requestId'] as string, { status: String(p['status']).toLowerCase(), at });
        return;
      case Topics.QuoteFailed:
        await this.quote(tx, company, p['requestId'] as string, { status: 'failed', at });
        return;
      case Topics.QuoteAccepted:
        await this.quote(tx, company, p['requestId'] as string, { status: 'accepted', at });
        return;
      case Topics.QuoteDeclined:
        await this.quote(tx, company, p['requestId'] as string, { status: 'declined', at });
        return;
      case Topics.DocumentCancelled:
        if (p['documentType'] === 'invoice') await this.invoice(tx, company, p['requestId'] as string, { status: 'cancelled', at }, { amount_due: '0' });
        if (p['documentType'] === 'quote') await this.quote(tx, company, p['requestId'] as string, { status: 'cancelled', at });
        return;
      case Topics.JobAssigned:
        await this.job(tx, company, p['jobId'] as string, { status: 'assigned', at });
        return;
      case Topics.JobStatusChanged:
        await this.job(tx, company, p['jobId'] as string, { status: p['status'] as string, at });
        return;
      case Topics.JobSynced:
        await this.job(tx, company, p['jobId'] as string, { status: String(p['status']).toLowerCase(), at });
        return;
      case Topics.JobSyncFailed:
        await this.job(tx, company, p['jobId'] as string, { status: 'sync_failed', at });
        return;
      case Topics.XeroConnectionConnected:
      case Topics.XeroConnectionDisconnected:
      case Topics.XeroConnectionExpired: {
        const status = event.type === Topics.XeroConnectionConnected ? 'connected' : event.type === Topics.XeroConnectionDisconnected ? 'disconnected' : 'expired';
        await tx.query(
          `INSERT INTO ${Tables.connections} ("company_id", "status", "tenant_id", "organisation_name", "reason", "changed_at") VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT ("company_id") DO UPDATE SET "status" = EXCLUDED."status", "tenant_id" = EXCLUDED."tenant_id",
             "organisation_name" = COALESCE(EXCLUDED."organisation_name", ${Tables.connections}."organisation_name"), "reason" = EXCLUDED."reason", "changed_at" = EXCLUDED."changed_at"
           WHERE ${Tables.connections}."changed_at" <= EXCLUDED."changed_at"`,
          [company, status, p['tenantId'] ?? null, p['organisationName'] ?? null, p['reason'] ?? null, at],
        );
        return;
      }
      default:
        return;
    }
  }

  /**
   * Balances and invoice.created are consumed concurrently. Both take this lock before they look for each other's row,
   * so the later one always sees what the earlier one wrote (without it, a balance and its invoice.created committing
   * together would each miss the other and the invoice would be counted twice).
   */
  private async lockXeroInvoice(tx: EntityManager, companyId: string, xeroId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`console.invoice:${companyId}:${xeroId}`]);
  }

  private async requestOfXeroInvoice(tx: EntityManager, companyId: string, xeroId: string): Promise<string | undefined> {
    const rows: { request_id: string }[] = await tx.query(`SELECT "request_id" FROM ${Tables.invoices} WHERE "company_id" = $1 AND "xero_id" = $2 LIMIT 1`, [companyId, xeroId]);
    return rows[0]?.request_id;
  }

  /** Folds a status into an invoice (created when it is the first word of it); the other columns fill in whenever they are known. */
  private async invoice(tx: EntityManager, companyId: string, requestId: string, next: StatusAt, fields: Record<string, unknown>): Promise<void> {
    const rows: { status: string; status_at: Date }[] = await tx.query(
      `SELECT "status", "status_at" FROM ${Tables.invoices} WHERE "company_id" = $1 AND "request_id" = $2 FOR UPDATE`,
      [companyId, requestId],
    );
    const current = rows[0] ? { status: rows[0].status, at: new Date(rows[0].status_at).toISOString() } : null;
    const known = Object.entries(fields).filter(([, value]) => value !== undefined && value !== null);
    if (!current) {
      await tx.query(`INSERT INTO ${Tables.invoices} ("company_id", "request_id", "status", "status_at") VALUES ($1, $2, $3, $4)`, [companyId, requestId, next.status, next.at]);
    } else if (!supersedes(INVOICE_STAGES, current, next)) {
      // A late event still tells what it knows, but not its status or balance.
      const identity = known.filter(([column]) => ['xero_id', 'number', 'currency_code', 'raised_at'].includes(column));
      await this.fill(tx, companyId, requestId, identity, true);
      return;
    } else {
      await tx.query(`UPDATE ${Tables.invoices} SET "status" = $3, "status_at" = $4 WHERE "company_id" = $1 AND "request_id" = $2`, [companyId, requestId, next.status, next.at]);
    }
    await this.fill(tx, companyId, requestId, known, false);
  }

  private async fill(tx: EntityManager, companyId: string, requestId: string, fields: [string, unknown][], onlyWhenMissing: boolean): Promise<void> {
    if (fields.length === 0) return;
    const sets = fields.map(([column], i) => (onlyWhenMissing ? `"${column}" = COALESCE("${column}", $${i + 3})` : `"${column}" = $${i + 3}`));
    await tx.query(`UPDATE ${Tables.invoices} SET ${sets.join(', ')} WHERE "company_id" = $1 AND "request_id" = $2`, [companyId, requestId, ...fields.map(([, v]) => v)]);
  }

  private quote(tx: EntityManager, companyId: string, requestId: string, next: StatusAt): Promise<void> {
    return this.fold(tx, Tables.quotes, 'request_id', QUOTE_STAGES, companyId, requestId, next);
  }

  private job(tx: EntityManager, companyId: string, jobId: string, next: StatusAt): Promise<void> {
    return this.fold(tx, Tables.jobs, 'job_id', JOB_STAGES, companyId, jobId, next);
  }

  private async fold(tx: EntityManager, table: string, key: string, stages: Record<string, number>, companyId: string, id: string, next: StatusAt): Promise<void> {
    const rows: { status: string; status_at: Date }[] = await tx.query(`SELECT "status", "status_at" FROM ${table} WHERE "company_id" = $1 AND "${key}" = $2 FOR UPDATE`, [companyId, id]);
    const current = rows[0] ? { status: rows[0].status, at: new Date(rows[0].status_at).toISOString() } : null;
    if (!current) {
      await tx.query(`INSERT INTO ${table} ("company_id", "${key}", "status", "status_at") VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [companyId, id, next.status, next.at]);
    } else if (supersedes(stages, current, next)) {
      await tx.query(`UPDATE ${table} SET "status" = $3, "status_at" = $4 WHERE "company_id" = $1 AND "${key}" = $2`, [companyId, id, next.status, next.at]);
    }
  }
}
