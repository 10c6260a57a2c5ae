import { queryRows } from '@ledgerline/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ContactField, ContactFieldValues } from '../contact-sync/domain/contact-fields';
import { ConflictPolicy, DEFAULT_CONFLICT_POLICY, FieldConflict, Side, SyncedSnapshot } from '../contact-sync/domain/field-reconcile';
import { ContactStatus } from './domain/pulled-contact';

const T = {
  settings: '"contacts"."contact_settings"',
  checkpoints: '"contacts"."contact_pull_checkpoints"',
  snapshots: '"contacts"."contact_snapshots"',
  conflicts: '"contacts"."contact_conflicts"',
  history: '"contacts"."contact_sync_history"',
  clients: '"contacts"."clients"',
  mappings: '"contacts"."contact_mappings"',
};

export interface ContactSettings {
  conflictPolicy: ConflictPolicy;
  /** Announce contacts created in Xero that no client is linked to (so the business system can adopt them). */
  announceUnlinked: boolean;
}

export interface StoredSnapshot extends SyncedSnapshot {
  status: ContactStatus;
  mergedTo: string | null;
}

export interface ConflictRecord {
  id: string;
  companyId: string;
  clientId: string;
  xeroContactId: string;
  policy: ConflictPolicy;
  fields: FieldConflict[];
  status: 'open' | 'decided' | 'resolved';
  resolution: Partial<Record<ContactField, Side>> | null;
  detectedAt: Date;
  resolvedAt: Date | null;
}

export interface HistoryEntry {
  clientId?: string | null;
  xeroContactId: string;
  source: 'push' | 'pull' | 'resolve';
  action: string;
  fields?: string[];
  detail?: Record<string, unknown>;
}

interface ConflictRow {
  id: string;
  company_id: string;
  client_id: string;
  xero_contact_id: string;
  policy: ConflictPolicy;
  fields: FieldConflict[];
  status: ConflictRecord['status'];
  resolution: ConflictRecord['resolution'];
  detected_at: Date;
  resolved_at: Date | null;
}

const toConflict = (r: ConflictRow): ConflictRecord => ({
  id: r.id,
  companyId: r.company_id,
  clientId: r.client_id,
  xeroContactId: r.xero_contact_id,
  policy: r.policy,
  fields: r.fields,
  status: r.status,
  resolution: r.resolution,
  detectedAt: r.detected_at,
  resolvedAt: r.resolved_at,
});

/**
 * An array parameter sent as one JSON text: a page of the pull passes thousands of ids, emails and names, which pg
 * would otherwise quote and escape one by one on every page.
 */
export const jsonArray = (param: string): string => `ARRAY(SELECT jsonb_array_elements_text(${param}::jsonb))`;

/** The pull side's records: settings, checkpoints, snapshots, conflicts and history. Every query is scoped by company. */
@Injectable()
export class ContactPullRecords {
  // --- Settings ---

  async settings(db: EntityManager, companyId: string): Promise<ContactSettings> {
    const [row]: { conflict_policy: ConflictPolicy; announce_unlinked: boolean }[] = await db.query(
      `SELECT "conflict_policy", "announce_unlinked" FROM ${T.settings} WHERE "company_id" = $1`,
      [companyId],
    );
    return row ? { conflictPolicy: row.conflict_policy, announceUnlinked: row.announce_unlinked } : { conflictPolicy: DEFAULT_CONFLICT_POLICY, announceUnlinked: true };
  }

  async saveSettings(db: EntityManager, companyId: string, changes: Partial<ContactSettings>): Promise<ContactSettings> {
    const current = await this.settings(db, companyId);
    const next = { ...current, ...changes };
    await db.query(
      `INSERT INTO ${T.settings} ("company_id", "conflict_policy", "announce_unlinked") VALUES ($1, $2, $3)
       ON CONFLICT ("company_id") DO UPDATE SET "conflict_policy" = EXCLUDED."conflict_policy", "announce_unlinked" = EXCLUDED."announce_unlinked", "updated_at" = now()`,
      [companyId, next.conflictPolicy, next.announceUnlinked],
    );
    return next;
  }

  // --- The poll's checkpoints ---

  async connected(tx: EntityManager, companyId: string, connected: boolean): Promise<void> {
    await tx.query(
      `INSERT INTO ${T.checkpoints} ("company_id", "connected") VALUES ($1, $2)
       ON CONFLICT ("company_id") DO UPDATE SET "connected" = EXCLUDED."connected", "updated_at" = now()`,
      [companyId, connected],
    );
  }

  async isConnected(tx: EntityManager, companyId: string): Promise<boolean> {
    const rows: { connected: boolean }[] = await tx.query(`SELECT "connected" FROM ${T.checkpoints} WHERE "company_id" = $1`, [companyId]);
    return rows[0]?.connected ?? false;
  }

  /** The instant the next run reads from; undefined before the first run finished (a first import reads everything). */
  async checkpoint(db: EntityManager, companyId: string): Promise<string | undefined> {
    const rows: { modified_since: Date | null }[] = await db.query(`SELECT "modified_since" FROM ${T.checkpoints} WHERE "company_id" = $1`, [companyId]);
    return rows[0]?.modified_since?.toISOString();
  }

  async advanceCheckpoint(tx: EntityManager, companyId: string, highWater: string | undefined): Promise<void> {
    await tx.query(
      `UPDATE ${T.checkpoints} SET "modified_since" = GREATEST(COALESCE("modified_since", $2::timestamptz), COALESCE($2::timestamptz, "modified_since")), "last_run_at" = now(), "updated_at" = now()
       WHERE "company_id" = $1`,
      [companyId, highWater ?? null],
    );
  }

  async connectedCompanies(db: EntityManager): Promise<string[]> {
    const rows: { company_id: string }[] = await db.query(`SELECT "company_id" FROM ${T.checkpoints} WHERE "connected" ORDER BY "company_id"`);
    return rows.map((r) => r.company_id);
  }

  // --- Snapshots ---

  async snapshots(tx: EntityManager, companyId: string, xeroContactIds: string[]): Promise<Map<string, StoredSnapshot>> {
    if (xeroContactIds.length === 0) return new Map();
    const rows: { xero_contact_id: string; xero_fields: ContactFieldValues; ledgerline_fields: ContactFieldValues; status: ContactStatus; merged_to: string | null }[] =
      await tx.query(
        `SELECT "xero_contact_id", "xero_fields", "ledgerline_fields", "status", "merged_to" FROM ${T.snapshots} WHERE "company_id" = $1 AND "xero_contact_id" = ANY(${jsonArray('$2')}::uuid[])`,
        [companyId, JSON.stringify(xeroContactIds)],
      );
    return new Map(rows.map((r) => [r.xero_contact_id.toLowerCase(), { xero: r.xero_fields, ledgerline: r.ledgerline_fields, status: r.status, mergedTo: r.merged_to }]));
  }

  async saveSnapshot(
    tx: EntityManager,
    companyId: string,
    xeroContactId: string,
    snapshot: SyncedSnapshot,
    state: { status?: ContactStatus; mergedTo?: string | null; xeroUpdatedAt?: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO ${T.snapshots} ("company_id", "xero_contact_id", "xero_fields", "ledgerline_fields", "status", "merged_to", "xero_updated_at", "synced_at")
       VALUES ($1, $2, $3, $4, COALESCE($5, 'ACTIVE'), $6, $7, now())
       ON CONFLICT ("company_id", "xero_contact_id") DO UPDATE SET
         "xero_fields" = EXCLUDED."xero_fields", "ledgerline_fields" = EXCLUDED."ledgerline_fields",
         "status" = COALESCE($5, ${T.snapshots}."status"), "merged_to" = COALESCE($6, ${T.snapshots}."merged_to"),
         "xero_updated_at" = COALESCE($7, ${T.snapshots}."xero_updated_at"), "synced_at" = now()`,
      [
        companyId,
        xeroContactId,
        JSON.stringify(snapshot.xero),
        JSON.stringify(snapshot.ledgerline),
        state.status ?? null,
        state.mergedTo ?? null,
        state.xeroUpdatedAt ?? null,
      ],
    );
  }

  /**
   * Many contacts' snapshots in one statement (a page of the pull): one round trip instead of one per contact. These
   * are contacts no client has, so both sides of each snapshot are the fields as Xero has them (sent once).
   */
  async saveSnapshots(
    tx: EntityManager,
    companyId: string,
    rows: { xeroContactId: string; fields: ContactFieldValues; status: ContactStatus; xeroUpdatedAt?: string }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const records = rows.map((r) => ({ id: r.xeroContactId, f: r.fields, s: r.status, u: r.xeroUpdatedAt ?? null }));
    await tx.query(
      `INSERT INTO ${T.snapshots} ("company_id", "xero_contact_id", "xero_fields", "ledgerline_fields", "status", "xero_updated_at", "synced_at")
       SELECT $1, r."id", r."f", r."f", r."s", r."u", now() FROM jsonb_to_recordset($2::jsonb) AS r("id" uuid, "f" jsonb, "s" varchar, "u" timestamptz)
       ON CONFLICT ("company_id", "xero_contact_id") DO UPDATE SET
         "xero_fields" = EXCLUDED."xero_fields", "ledgerline_fields" = EXCLUDED."ledgerline_fields", "status" = EXCLUDED."status",
         "xero_updated_at" = COALESCE(EXCLUDED."xero_updated_at", ${T.snapshots}."xero_updated_at"), "synced_at" = now()`,
      [companyId, JSON.stringify(records)],
    );
  }

  /** The status Xero last gave a contact (ACTIVE when never read). */
  async status(tx: EntityManager, companyId: string, xeroContactId: string): Promise<ContactStatus> {
    const rows: { status: ContactStatus }[] = await tx.query(`SELECT "status" FROM ${T.snapshots} WHERE "company_id" = $1 AND "xero_contact_id" = $2`, [
      companyId,
      xeroContactId,
    ]);
    return rows[0]?.status ?? 'ACTIVE';
  }

  /**
   * A pulled page and a sync's answer are applied by different workers at once. Both take this lock first, so a page
   * sees every link a sync has made, and a sync never links a contact while a page is deciding it is nobody's.
   */
  async lockCompanyLinks(tx: EntityManager, companyId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`contacts.links:${companyId}`]);
  }

  // --- First import ---

  /**
   * The company's clients with no contact yet that a pulled contact may be (same client id as its number, same email
   * address or same name); the existing matching rule decides when their sync runs.
   */
  async unlinkedLookAlikes(
    tx: EntityManager,
    companyId: string,
    numbers: string[],
    emails: string[],
    names: string[],
  ): Promise<{ clientId: string; email: string | null; name: string }[]> {
    if (numbers.length + emails.length + names.length === 0) return [];
    const rows: { client_id: string; email: string | null; name: string }[] = await tx.query(
      `SELECT c."client_id", c."email", c."name" FROM ${T.clients} c
       WHERE c."company_id" = $1
         AND NOT EXISTS (SELECT 1 FROM ${T.mappings} m WHERE m."company_id" = c."company_id" AND m."client_id" = c."client_id")
         AND (c."client_id" = ANY(${jsonArray('$2')}) OR lower(c."email") = ANY(${jsonArray('$3')}) OR lower(c."name") = ANY(${jsonArray('$4')}))`,
      [companyId, JSON.stringify(numbers), JSON.stringify(emails.map((e) => e.toLowerCase())), JSON.stringify(names.map((n) => n.toLowerCase()))],
    );
    return rows.map((r) => ({ clientId: r.client_id, email: r.email, name: r.name }));
  }

  // --- Conflicts ---

  async recordConflict(tx: EntityManager, conflict: Omit<ConflictRecord, 'id' | 'detectedAt' | 'resolvedAt' | 'resolution'>): Promise<string> {
    const id = randomUUID();
    await tx.query(
      `INSERT INTO ${T.conflicts} ("id", "company_id", "client_id", "xero_contact_id", "policy", "fields", "status", "resolved_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7::varchar, CASE WHEN $7::varchar = 'decided' THEN now() END)`,
      [id, conflict.companyId, conflict.clientId, conflict.xeroContactId, conflict.policy, JSON.stringify(conflict.fields), conflict.status],
    );
    return id;
  }

  /** The open (manual) conflict of a client, if any: its fields wait for a person. */
  async openConflict(tx: EntityManager, companyId: string, clientId: string): Promise<ConflictRecord | undefined> {
    const rows: ConflictRow[] = await tx.query(`SELECT * FROM ${T.conflicts} WHERE "company_id" = $1 AND "client_id" = $2 AND "status" = 'open'`, [companyId, clientId]);
    return rows[0] ? toConflict(rows[0]) : undefined;
  }

  async lockConflict(tx: EntityManager, companyId: string, id: string): Promise<ConflictRecord | undefined> {
    const rows: ConflictRow[] = await tx.query(`SELECT * FROM ${T.conflicts} WHERE "company_id" = $1 AND "id" = $2 FOR UPDATE`, [companyId, id]);
    return rows[0] ? toConflict(rows[0]) : undefined;
  }

  async resolveConflict(tx: EntityManager, companyId: string, id: string, resolution: Partial<Record<ContactField, Side>>): Promise<void> {
    await queryRows(
      tx,
      `UPDATE ${T.conflicts} SET "status" = 'resolved', "resolution" = $3, "resolved_at" = now() WHERE "company_id" = $1 AND "id" = $2 RETURNING "id"`,
      [companyId, id, JSON.stringify(resolution)],
    );
  }

  async listConflicts(
    db: EntityManager,
    companyId: string,
    query: { status?: string; page: number; pageSize: number },
  ): Promise<{ items: ConflictRecord[]; total: number }> {
    const params: unknown[] = [companyId];
    let where = `"company_id" = $1`;
    if (query.status) {
      params.push(query.status);
      where += ` AND "status" = $2`;
    }
    const [{ total }]: { total: number }[] = await db.query(`SELECT count(*)::int AS "total" FROM ${T.conflicts} WHERE ${where}`, params);
    const rows: ConflictRow[] = await db.query(
      `SELECT * FROM ${T.conflicts} WHERE ${where} ORDER BY "detected_at" DESC, "id" LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
      params,
    );
    return { items: rows.map(toConflict), total };
  }

  // --- History ---

  async recordHistory(tx: EntityManager, companyId: string, entry: HistoryEntry): Promise<void> {
    await tx.query(
      `INSERT INTO ${T.history} ("id", "company_id", "client_id", "xero_contact_id", "source", "action", "fields", "detail") VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8)`,
      [
        randomUUID(),
        companyId,
        entry.clientId ?? null,
        entry.xeroContactId,
        entry.source,
        entry.action,
        entry.fields ?? [],
        entry.detail ? JSON.stringify(entry.detail) : null,
      ],
    );
  }

  async listHistory(db: EntityManager, companyId: string, clientId: string, page: { page: number; pageSize: number }) {
    const [{ total }]: { total: number }[] = await db.query(`SELECT count(*)::int AS "total" FROM ${T.history} WHERE "company_id" = $1 AND "client_id" = $2`, [
      companyId,
      clientId,
    ]);
    const rows: { xero_contact_id: string; source: string; action: string; fields: string[]; detail: Record<string, unknown> | null; at: Date }[] = await db.query(
      `SELECT "xero_contact_id", "source", "action", "fields", "detail", "at" FROM ${T.history} WHERE "company_id" = $1 AND "client_id" = $2
       ORDER BY "at" DESC, "id" LIMIT $3 OFFSET $4`,
      [companyId, clientId, page.pageSize, (page.page - 1) * page.pageSize],
    );
    return {
      total,
      items: rows.map((r) => ({ xeroContactId: r.xero_contact_id, source: r.source, action: r.action, fields: r.fields, detail: r.detail, at: r.at.toISOString() })),
    };
  }
}
