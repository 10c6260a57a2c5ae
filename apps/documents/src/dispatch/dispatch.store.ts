import { DocumentType, FailureDetail } from '@ledgerline/contracts';
import { idempotencyKey } from '@ledgerline/xero-client';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ContactMappings } from '../contact-mappings/contact-mappings.service';
import { Tables } from '../database/tables';
import { DocumentRecords } from '../document-records/document-records.service';
import { DocumentSender } from './document-sender';
import { batchKeyParts, ReadyCompany } from './domain/dispatch-plan';
import { DocumentOutcome, FailureCode } from './domain/batch-outcome';

/** A batch this process holds the lease on: only the holder of `leaseToken` may record its outcome. */
export interface ClaimedBatch {
  id: string;
  companyId: string;
  documentType: DocumentType;
  idempotencyKey: string;
  documentIds: string[];
  body: unknown[];
  tries: number;
  leaseToken: string;
}

interface BatchRow {
  id: string;
  company_id: string;
  document_type: DocumentType;
  idempotency_key: string;
  document_ids: string[];
  body: unknown[];
  tries: number;
  lease_token: string;
}

interface CandidateRow {
  id: string;
  request: Record<string, unknown>;
  request_id: string;
  client_id: string;
  attempt: number;
  correlation_id: string;
  causation_id: string | null;
  xero_contact_id: string | null;
}

const lease = (param: string) => `now() + make_interval(secs => ${param}::double precision / 1000)`;

const toClaimed = (row: BatchRow): ClaimedBatch => ({
  id: row.id,
  companyId: row.company_id,
  documentType: row.document_type,
  idempotencyKey: row.idempotency_key,
  documentIds: row.document_ids,
  body: row.body,
  tries: row.tries,
  leaseToken: row.lease_token,
});

/**
 * The dispatcher's database side. Every claim is short and uses FOR UPDATE SKIP LOCKED, so replicas share
 * the work without waiting on each other; no transaction is ever open while Xero is called. A claimed batch
 * carries a lease: if its holder dies, the batch is resent (same members, body and key) once the lease ends.
 */
@Injectable()
export class DispatchStore {
  private readonly logger = new Logger(DispatchStore.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly records: DocumentRecords,
    private readonly contacts: ContactMappings,
  ) {}

  /** Open batches that are due and unleased (never sent, failed transiently, or abandoned by a dead replica). */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedBatch[]> {
    if (limit <= 0) return [];
    const rows: BatchRow[] = await this.dataSource.query(
      `WITH due AS (
         SELECT "id" FROM ${Tables.dispatchBatches}
         WHERE "status" = 'open' AND "next_attempt_at" <= now() AND ("lease_until" IS NULL OR "lease_until" < now())
         ORDER BY "next_attempt_at" LIMIT $1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE ${Tables.dispatchBatches} b
         SET "lease_token" = gen_random_uuid(), "lease_until" = ${lease('$2')}, "tries" = b."tries" + 1, "updated_at" = now()
         FROM due WHERE b."id" = due."id"
         RETURNING b."id", b."company_id", b."document_type", b."idempotency_key", b."document_ids", b."body", b."tries", b."lease_token"
       ), counted AS (
         UPDATE ${Tables.documents} d SET "send_count" = d."send_count" + 1 FROM claimed WHERE d."batch_id" = claimed."id"
       )
       SELECT * FROM claimed`,
      [limit, leaseMs],
    );
    return rows.map(toClaimed);
  }

  /** Companies with ready documents of a type, with the database's clock so lingering is judged on one clock. */
  async readyCompanies(type: DocumentType): Promise<{ now: Date; companies: ReadyCompany[] }> {
    const rows: { company_id: string; ready: number; oldest: Date; now: Date }[] = await this.dataSource.query(
      `SELECT "company_id", count(*)::int AS "ready", min("ready_at") AS "oldest", now() AS "now"
       FROM ${Tables.documents} WHERE "type" = $1 AND "status" = 'pending' AND "batch_id" IS NULL
       GROUP BY "company_id"`,
      [type],
    );
    const [now] = (await this.dataSource.query(`SELECT now() AS "now"`)) as { now: Date }[];
    return { now: now.now, companies: rows.map((r) => ({ companyId: r.company_id, ready: r.ready, oldestReadyAt: r.oldest })) };
  }

  /**
   * Takes up to `size` ready documents of one company (skipping those another replica holds), builds the
   * batch body, and stores members, body and key, leased to this process, in one transaction, before any call.
   */
  async formBatch(sender: DocumentSender, companyId: string, size: number, leaseMs: number): Promise<ClaimedBatch | null> {
    return this.dataSource.transaction(async (tx) => {
      const candidates: CandidateRow[] = await tx.query(
        `SELECT d."id", d."request", d."request_id", d."client_id", d."attempt", d."correlation_id", d."causation_id", m."xero_contact_id"
         FROM ${Tables.documents} d
         LEFT JOIN ${Tables.contactMappings} m ON m."company_id" = d."company_id" AND m."client_id" = d."client_id"
         WHERE d."company_id" = $1 AND d."type" = $2 AND d."status" = 'pending' AND d."batch_id" IS NULL
         ORDER BY d."ready_at", d."id"
         LIMIT $3
         FOR UPDATE OF d SKIP LOCKED`,
        [companyId, sender.type, size],
      );
      const members: { row: CandidateRow; element: unknown }[] = [];
      for (const row of candidates) {
        if (!row.xero_contact_id) {
          await this.backToWaiting(tx, companyId, row);
          continue;
        }
        try {
          members.push({ row, element: sender.buildElement(row.request, row.xero_contact_id) });
        } catch (error) {
          const problems = (error as { problems?: unknown }).problems;
          const messages = Array.isArray(problems) ? problems.map(String) : [(error as Error).message];
          const document = await this.records.find(tx, row.id);
          if (document) await this.records.markFailed(tx, document, { code: FailureCode.InvalidRequest, messages });
        }
      }
      if (members.length === 0) return null;

      const id = randomUUID();
      const leaseToken = randomUUID();
      const key = idempotencyKey(...batchKeyParts(companyId, sender.type, members.map((m) => ({ requestId: m.row.request_id, attempt: m.row.attempt }))));
      const documentIds = members.map((m) => m.row.id);
      const body = members.map((m) => m.element);
      await tx.query(
        `INSERT INTO ${Tables.dispatchBatches}
           ("id", "company_id", "document_type", "idempotency_key", "document_ids", "body", "status", "tries", "lease_token", "lease_until", "next_attempt_at")
         VALUES ($1, $2, $3, $4, $5::uuid[], $6, 'open', 1, $7, ${lease('$8')}, now())`,
        [id, companyId, sender.type, key, documentIds, JSON.stringify(body), leaseToken, leaseMs],
      );
      await tx.query(
        `UPDATE ${Tables.documents} d
         SET "batch_id" = $1, "xero_contact_id" = member."contact_id", "send_count" = d."send_count" + 1, "updated_at" = now()
         FROM unnest($2::uuid[], $3::uuid[]) AS member("id", "contact_id")
         WHERE d."id" = member."id"`,
        [id, documentIds, members.map((m) => m.row.xero_contact_id)],
      );
      return { id, companyId, documentType: sender.type, idempotencyKey: key, documentIds, body, tries: 1, leaseToken };
    });
  }

  /**
   * Records Xero's answer for every member (outcomes[i] belongs to documentIds[i]) and closes the batch, with
   * the outcome events, in one transaction. False when the lease was lost (another replica owns the batch now).
   */
  async complete(batch: ClaimedBatch, outcomes: DocumentOutcome[]): Promise<boolean> {
    if (outcomes.length !== batch.documentIds.length) {
      throw new Error(`batch ${batch.id} has ${batch.documentIds.length} members but ${outcomes.length} outcomes`);
    }
    return this.dataSource.transaction(async (tx) => {
      if (!(await this.close(tx, batch))) return false;
      const documents = new Map((await this.records.lockMany(tx, batch.documentIds)).map((d) => [d.id, d]));
      for (const [index, documentId] of batch.documentIds.entries()) {
        const document = documents.get(documentId);
        if (!document || document.status !== 'pending' || document.batchId !== batch.id) {
          this.logger.warn(`batch ${batch.id}: document ${documentId} is no longer waiting for this batch; its outcome is not applied`);
          continue;
        }
        const outcome = outcomes[index];
        if (outcome.kind === 'created') await this.records.markCreated(tx, document, outcome);
        else await this.records.markFailed(tx, document, { code: outcome.code, messages: outcome.messages });
      }
      return true;
    });
  }

  /** A transient failure: the batch keeps members, body and key, and is resent after `delayMs`. */
  async postpone(batch: ClaimedBatch, failure: FailureDetail, delayMs: number): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const released: unknown[] = await tx.query(
        `UPDATE ${Tables.dispatchBatches}
         SET "lease_token" = NULL, "lease_until" = NULL, "next_attempt_at" = ${lease('$3')}, "last_error" = $4, "updated_at" = now()
         WHERE "id" = $1 AND "lease_token" = $2 AND "status" = 'open'
         RETURNING "id"`,
        [batch.id, batch.leaseToken, delayMs, JSON.stringify(failure)],
      );
      if (released.length === 0) return false;
      await tx.query(
        `UPDATE ${Tables.documents}
         SET "last_error_code" = $2, "last_error_messages" = $3, "last_error_at" = now(), "updated_at" = now()
         WHERE "batch_id" = $1 AND "status" = 'pending'`,
        [batch.id, failure.code, JSON.stringify(failure.messages)],
      );
      return true;
    });
  }

  /** Keeps the leases of batches still in flight from running out. */
  async renew(leaseTokens: string[], leaseMs: number): Promise<void> {
    if (leaseTokens.length === 0) return;
    await this.dataSource.query(
      `UPDATE ${Tables.dispatchBatches} SET "lease_until" = ${lease('$2')} WHERE "lease_token" = ANY($1::uuid[]) AND "status" = 'open'`,
      [leaseTokens, leaseMs],
    );
  }

  /** Hands batches back at shutdown so a replica or the next start resends them without waiting for the lease. */
  async release(leaseTokens: string[]): Promise<void> {
    if (leaseTokens.length === 0) return;
    await this.dataSource.query(
      `UPDATE ${Tables.dispatchBatches} SET "lease_token" = NULL, "lease_until" = NULL, "updated_at" = now()
       WHERE "lease_token" = ANY($1::uuid[]) AND "status" = 'open'`,
      [leaseTokens],
    );
  }

  private async close(tx: EntityManager, batch: ClaimedBatch): Promise<boolean> {
    const closed: unknown[] = await tx.query(
      `UPDATE ${Tables.dispatchBatches}
       SET "status" = 'done', "lease_token" = NULL, "lease_until" = NULL, "last_error" = NULL, "completed_at" = now(), "updated_at" = now()
       WHERE "id" = $1 AND "lease_token" = $2 AND "status" = 'open'
       RETURNING "id"`,
      [batch.id, batch.leaseToken],
    );
    return closed.length > 0;
  }

  /** A ready document whose client has no contact after all goes back to waiting for it. */
  private async backToWaiting(tx: EntityManager, companyId: string, row: CandidateRow): Promise<void> {
    await tx.query(`UPDATE ${Tables.documents} SET "status" = 'waiting_contact', "ready_at" = NULL, "updated_at" = now() WHERE "id" = $1`, [row.id]);
    const origin = row.causation_id ? { correlationId: row.correlation_id, causationId: row.causation_id } : { correlationId: row.correlation_id };
    await this.contacts.requestSync(tx, companyId, row.client_id, origin, `document ${row.request_id} waits for this client's Xero contact`);
  }
}
