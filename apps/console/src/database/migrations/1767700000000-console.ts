import { messagingTablesSql } from '@ledgerline/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The console's views, built from events only, and the manual sync's lock and progress log. */
export class Console1767700000000 implements MigrationInterface {
  name = 'Console1767700000000';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of messagingTablesSql('console').up) await db.query(statement);
    const statements = [
      // One row per record an engine attempt concerned (a sync.activity target).
      `CREATE TABLE "console"."sync_log" (
        "id" bigserial PRIMARY KEY,
        "company_id" text NOT NULL,
        "event_id" uuid NOT NULL,
        "service" text NOT NULL,
        "kind" text NOT NULL,
        "entity" text NOT NULL,
        "direction" text NOT NULL,
        "attempt_id" uuid NOT NULL,
        "batch_id" uuid NOT NULL,
        "attempt" integer NOT NULL,
        "started_at" timestamptz NOT NULL,
        "duration_ms" integer NOT NULL,
        "calls_used" integer NOT NULL,
        "xero_status" integer,
        "attempt_outcome" text NOT NULL,
        "attempt_failure" jsonb,
        "operation_id" uuid NOT NULL,
        "target" text NOT NULL,
        "outcome" text NOT NULL,
        "xero_id" text,
        "failure" jsonb,
        "search" text NOT NULL,
        UNIQUE ("event_id", "operation_id")
      )`,
      `CREATE INDEX "sync_log_company_time" ON "console"."sync_log" ("company_id", "started_at" DESC, "id" DESC)`,
      `CREATE INDEX "sync_log_company_entity" ON "console"."sync_log" ("company_id", "entity", "outcome")`,
      // The latest outcome of each operation, for "what is pending".
      `CREATE TABLE "console"."operation_states" (
        "company_id" text NOT NULL,
        "operation_id" uuid NOT NULL,
        "entity" text NOT NULL,
        "outcome" text NOT NULL,
        "at" timestamptz NOT NULL,
        PRIMARY KEY ("company_id", "operation_id")
      )`,
      `CREATE TABLE "console"."sync_info" (
        "company_id" text NOT NULL,
        "entity" text NOT NULL,
        "last_push_at" timestamptz,
        "last_pull_at" timestamptz,
        "last_failure_at" timestamptz,
        PRIMARY KEY ("company_id", "entity")
      )`,
      // Failed outcomes and dead letters; dedupe_key makes a redelivered one a no-op.
      `CREATE TABLE "console"."errors" (
        "id" bigserial PRIMARY KEY,
        "company_id" text NOT NULL,
        "source" text NOT NULL CHECK ("source" IN ('outcome', 'dead_letter')),
        "topic" text NOT NULL,
        "entity" text NOT NULL,
        "reference" text,
        "code" text,
        "messages" jsonb NOT NULL DEFAULT '[]',
        "reason" text,
        "consumer" text,
        "original" text,
        "headers" jsonb,
        "retry" jsonb,
        "event_id" text,
        "occurred_at" timestamptz NOT NULL,
        "dedupe_key" text NOT NULL UNIQUE
      )`,
      `CREATE INDEX "errors_company_time" ON "console"."errors" ("company_id", "occurred_at" DESC, "id" DESC)`,
      `CREATE TABLE "console"."invoices" (
        "company_id" text NOT NULL,
        "request_id" text NOT NULL,
        "client_id" text,
        "xero_id" text,
        "number" text,
        "currency_code" text,
        "date" date,
        "due_date" date,
        "total" numeric(19,4),
        "amount_due" numeric(19,4),
        "status" text NOT NULL,
        "status_at" timestamptz NOT NULL,
        "raised_at" timestamptz,
        PRIMARY KEY ("company_id", "request_id")
      )`,
      `CREATE INDEX "invoices_company_xero" ON "console"."invoices" ("company_id", "xero_id")`,
      `CREATE TABLE "console"."quotes" (
        "company_id" text NOT NULL,
        "request_id" text NOT NULL,
        "status" text NOT NULL,
        "status_at" timestamptz NOT NULL,
        PRIMARY KEY ("company_id", "request_id")
      )`,
      `CREATE TABLE "console"."jobs" (
        "company_id" text NOT NULL,
        "job_id" text NOT NULL,
        "status" text NOT NULL,
        "status_at" timestamptz NOT NULL,
        PRIMARY KEY ("company_id", "job_id")
      )`,
      `CREATE TABLE "console"."connections" (
        "company_id" text PRIMARY KEY,
        "status" text NOT NULL,
        "tenant_id" text,
        "organisation_name" text,
        "reason" text,
        "changed_at" timestamptz NOT NULL
      )`,
      `CREATE TABLE "console"."syncs" (
        "sync_id" uuid PRIMARY KEY,
        "company_id" text NOT NULL,
        "scope" text NOT NULL,
        "state" text NOT NULL,
        "requested_by" text NOT NULL,
        "requested_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "pages_read" integer NOT NULL DEFAULT 0,
        "records_changed" integer NOT NULL DEFAULT 0,
        "errors" integer NOT NULL DEFAULT 0,
        "failure" jsonb,
        "last_seq" integer NOT NULL DEFAULT 0
      )`,
      `CREATE INDEX "syncs_company_time" ON "console"."syncs" ("company_id", "requested_at" DESC)`,
      // At most one running sync per (company, scope), across every replica; the lease ends one whose worker fell silent.
      `CREATE TABLE "console"."sync_locks" (
        "company_id" text NOT NULL,
        "scope" text NOT NULL,
        "sync_id" uuid NOT NULL REFERENCES "console"."syncs" ("sync_id"),
        "lease_until" timestamptz NOT NULL,
        PRIMARY KEY ("company_id", "scope")
      )`,
      // A sync's progress as streamed: seq counts up per sync with no gaps, so Last-Event-ID resumes exactly.
      `CREATE TABLE "console"."sync_events" (
        "sync_id" uuid NOT NULL REFERENCES "console"."syncs" ("sync_id"),
        "seq" integer NOT NULL,
        "company_id" text NOT NULL,
        "state" text NOT NULL,
        "pages_read" integer NOT NULL,
        "records_changed" integer NOT NULL,
        "errors" integer NOT NULL,
        "failure" jsonb,
        "at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("sync_id", "seq")
      )`,
    ];
    for (const statement of statements) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['sync_events', 'sync_locks', 'syncs', 'connections', 'jobs', 'quotes', 'invoices', 'errors', 'sync_info', 'operation_states', 'sync_log']) {
      await db.query(`DROP TABLE IF EXISTS "console"."${table}"`);
    }
    for (const statement of messagingTablesSql('console').down) await db.query(statement);
  }
}
