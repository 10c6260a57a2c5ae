import { xeroOperationsTablesSql } from '@ledgerline/xero-operations';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Documents move onto the operations engine: its tables replace dispatch_batches (and the documents' batch and
 * send-count columns), and a document can wait for its company's Xero connection. Dispatch batches hold no
 * per-document body the engine could resend, so stop the documents service and let it finish its open batches
 * before running this migration (the README's upgrade note says so).
 */
export class OperationsEngine1767500000000 implements MigrationInterface {
  name = 'OperationsEngine1767500000000';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of xeroOperationsTablesSql('documents').up) await db.query(statement);
    await db.query(`ALTER TABLE "documents"."documents" DROP CONSTRAINT "documents_status_check"`);
    await db.query(
      `ALTER TABLE "documents"."documents" ADD CONSTRAINT "documents_status_check"
       CHECK ("status" IN ('waiting_contact', 'waiting_connection', 'pending', 'created', 'failed'))`,
    );
    await db.query(`DROP INDEX "documents"."documents_ready"`);
    await db.query(`DROP INDEX "documents"."documents_by_batch"`);
    await db.query(`ALTER TABLE "documents"."documents" DROP COLUMN "batch_id", DROP COLUMN "send_count"`);
    await db.query(`DROP TABLE "documents"."dispatch_batches"`);
  }

  async down(db: QueryRunner): Promise<void> {
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
    await db.query(`ALTER TABLE "documents"."documents" ADD COLUMN "send_count" integer NOT NULL DEFAULT 0, ADD COLUMN "batch_id" uuid REFERENCES "documents"."dispatch_batches" ("id")`);
    await db.query(`CREATE INDEX "documents_ready" ON "documents"."documents" ("company_id", "type", "ready_at") WHERE "status" = 'pending' AND "batch_id" IS NULL`);
    await db.query(`CREATE INDEX "documents_by_batch" ON "documents"."documents" ("batch_id")`);
    await db.query(`UPDATE "documents"."documents" SET "status" = 'pending' WHERE "status" = 'waiting_connection'`);
    await db.query(`ALTER TABLE "documents"."documents" DROP CONSTRAINT "documents_status_check"`);
    await db.query(`ALTER TABLE "documents"."documents" ADD CONSTRAINT "documents_status_check" CHECK ("status" IN ('waiting_contact', 'pending', 'created', 'failed'))`);
    for (const statement of xeroOperationsTablesSql('documents').down) await db.query(statement);
  }
}
