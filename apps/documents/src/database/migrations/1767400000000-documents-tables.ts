import { MigrationInterface, QueryRunner } from 'typeorm';

/** The document records, the contact mappings this service learns from contact.synced, and dispatch batches. */
export class DocumentsTables1767400000000 implements MigrationInterface {
  name = 'DocumentsTables1767400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "documents"."dispatch_batches" (
        "id" uuid PRIMARY KEY,
        "company_id" varchar(64) NOT NULL,
        "document_type" varchar(32) NOT NULL,
        "idempotency_key" varchar(128) NOT NULL UNIQUE,
        "document_ids" uuid[] NOT NULL,
        "body" json NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'open' CHECK ("status" IN ('open', 'done')),
        "tries" integer NOT NULL DEFAULT 0,
        "lease_token" uuid,
        "lease_until" timestamptz,
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        "last_error" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "completed_at" timestamptz
      )`);
    await db.query(`CREATE INDEX "dispatch_batches_open" ON "documents"."dispatch_batches" ("next_attempt_at") WHERE "status" = 'open'`);

    await db.query(`
      CREATE TABLE "documents"."documents" (
        "id" uuid PRIMARY KEY,
        "company_id" varchar(64) NOT NULL,
        "type" varchar(32) NOT NULL CHECK ("type" IN ('invoice', 'quote', 'purchase_order')),
        "request_id" varchar(128) NOT NULL,
        "client_id" varchar(128) NOT NULL,
        "request" jsonb NOT NULL,
        "status" varchar(32) NOT NULL CHECK ("status" IN ('waiting_contact', 'pending', 'created', 'failed')),
        "attempt" integer NOT NULL DEFAULT 1,
        "send_count" integer NOT NULL DEFAULT 0,
        "batch_id" uuid REFERENCES "documents"."dispatch_batches" ("id"),
        "ready_at" timestamptz,
        "xero_contact_id" uuid,
        "xero_id" uuid,
        "xero_number" varchar(255),
        "xero_status" varchar(32),
        "currency_code" varchar(3) NOT NULL,
        "sub_total" numeric(19, 4),
        "total_tax" numeric(19, 4),
        "total" numeric(19, 4),
        "amount_due" numeric(19, 4),
        "last_error_code" varchar(64),
        "last_error_messages" jsonb,
        "last_error_at" timestamptz,
        "correlation_id" varchar(128) NOT NULL,
        "causation_id" varchar(128),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "completed_at" timestamptz,
        CONSTRAINT "documents_request_unique" UNIQUE ("company_id", "type", "request_id")
      )`);
    await db.query(`CREATE INDEX "documents_ready" ON "documents"."documents" ("company_id", "type", "ready_at") WHERE "status" = 'pending' AND "batch_id" IS NULL`);
    await db.query(`CREATE INDEX "documents_waiting" ON "documents"."documents" ("company_id", "client_id") WHERE "status" = 'waiting_contact'`);
    await db.query(`CREATE INDEX "documents_by_company" ON "documents"."documents" ("company_id", "created_at" DESC, "id")`);
    await db.query(`CREATE INDEX "documents_by_batch" ON "documents"."documents" ("batch_id")`);

    await db.query(`
      CREATE TABLE "documents"."contact_mappings" (
        "company_id" varchar(64) NOT NULL,
        "client_id" varchar(128) NOT NULL,
        "xero_contact_id" uuid,
        "contact_name" varchar(255),
        "sync_state" varchar(16) NOT NULL CHECK ("sync_state" IN ('requested', 'synced', 'failed')),
        "requested_at" timestamptz,
        "synced_at" timestamptz,
        "last_failure" jsonb,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("company_id", "client_id")
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "documents"."contact_mappings"`);
    await db.query(`DROP TABLE "documents"."documents"`);
    await db.query(`DROP TABLE "documents"."dispatch_batches"`);
  }
}
