import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pull side: each company's settings (conflict policy, whether unlinked Xero contacts are announced), the poll's
 * checkpoint per company, the last-synced snapshot of every contact seen or written, conflicts, and each contact's
 * sync history. Existing links start with what Ledgerline last wrote as their snapshot.
 */
export class ContactPull1767600000000 implements MigrationInterface {
  name = 'ContactPull1767600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "contacts"."contact_settings" (
        "company_id" varchar(64) NOT NULL,
        "conflict_policy" varchar(16) NOT NULL DEFAULT 'most_recent' CHECK ("conflict_policy" IN ('ledgerline_wins', 'xero_wins', 'most_recent', 'manual')),
        "announce_unlinked" boolean NOT NULL DEFAULT true,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "contact_settings_pkey" PRIMARY KEY ("company_id")
      )`);
    await db.query(`
      CREATE TABLE "contacts"."contact_pull_checkpoints" (
        "company_id" varchar(64) NOT NULL,
        "modified_since" timestamptz,
        "connected" boolean NOT NULL DEFAULT true,
        "last_run_at" timestamptz,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "contact_pull_checkpoints_pkey" PRIMARY KEY ("company_id")
      )`);
    await db.query(`
      CREATE TABLE "contacts"."contact_snapshots" (
        "company_id" varchar(64) NOT NULL,
        "xero_contact_id" uuid NOT NULL,
        "xero_fields" jsonb NOT NULL,
        "ledgerline_fields" jsonb NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'ACTIVE' CHECK ("status" IN ('ACTIVE', 'ARCHIVED', 'GDPRREQUEST')),
        "merged_to" uuid,
        "xero_updated_at" timestamptz,
        "synced_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "contact_snapshots_pkey" PRIMARY KEY ("company_id", "xero_contact_id")
      )`);
    await db.query(`
      CREATE TABLE "contacts"."contact_conflicts" (
        "id" uuid NOT NULL,
        "company_id" varchar(64) NOT NULL,
        "client_id" varchar(128) NOT NULL,
        "xero_contact_id" uuid NOT NULL,
        "policy" varchar(16) NOT NULL,
        "fields" jsonb NOT NULL,
        "status" varchar(16) NOT NULL CHECK ("status" IN ('open', 'decided', 'resolved')),
        "resolution" jsonb,
        "detected_at" timestamptz NOT NULL DEFAULT now(),
        "resolved_at" timestamptz,
        CONSTRAINT "contact_conflicts_pkey" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE INDEX "contact_conflicts_company" ON "contacts"."contact_conflicts" ("company_id", "status", "detected_at")`);
    await db.query(`CREATE UNIQUE INDEX "contact_conflicts_one_open" ON "contacts"."contact_conflicts" ("company_id", "client_id") WHERE "status" = 'open'`);
    await db.query(`
      CREATE TABLE "contacts"."contact_sync_history" (
        "id" uuid NOT NULL,
        "company_id" varchar(64) NOT NULL,
        "client_id" varchar(128),
        "xero_contact_id" uuid NOT NULL,
        "source" varchar(16) NOT NULL,
        "action" varchar(32) NOT NULL,
        "fields" text[] NOT NULL DEFAULT '{}',
        "detail" jsonb,
        "at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "contact_sync_history_pkey" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE INDEX "contact_sync_history_client" ON "contacts"."contact_sync_history" ("company_id", "client_id", "at")`);
    await db.query(`
      INSERT INTO "contacts"."contact_snapshots" ("company_id", "xero_contact_id", "xero_fields", "ledgerline_fields")
      SELECT "company_id", "xero_contact_id", f, f FROM "contacts"."contact_mappings",
      LATERAL (SELECT jsonb_strip_nulls(jsonb_build_object(
        'name', "sent_contact"->>'name', 'firstName', "sent_contact"->>'firstName', 'lastName', "sent_contact"->>'lastName',
        'emailAddress', "sent_contact"->>'emailAddress', 'taxNumber', "sent_contact"->>'taxNumber', 'accountNumber', "sent_contact"->>'accountNumber',
        'phone', "sent_contact"->'phones'->0->>'phoneNumber', 'address', ("sent_contact"->'addresses'->0) - 'addressType')) AS f) AS flat`);
    // Companies already syncing are polled from their latest write on, without waiting for their next connect (and
    // without a first import of contacts they already have). A company disconnected since parks its first run.
    await db.query(`
      INSERT INTO "contacts"."contact_pull_checkpoints" ("company_id", "modified_since", "connected")
      SELECT "company_id", max("last_written_at"), true FROM "contacts"."contact_mappings" GROUP BY "company_id"`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['contact_sync_history', 'contact_conflicts', 'contact_snapshots', 'contact_pull_checkpoints', 'contact_settings'])
      await db.query(`DROP TABLE "contacts"."${table}"`);
  }
}
