import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A document can be cancelled (document.cancel_requested) and is kept with it: when, by which request, why, and
 * Xero's final status (xero_status). A cancel under way has cancel_requested_at set; a refused one keeps why.
 */
export class CancelledDocuments1767600000000 implements MigrationInterface {
  name = 'CancelledDocuments1767600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "documents"."documents" DROP CONSTRAINT "documents_status_check"`);
    await db.query(
      `ALTER TABLE "documents"."documents" ADD CONSTRAINT "documents_status_check"
       CHECK ("status" IN ('waiting_contact', 'waiting_connection', 'pending', 'created', 'failed', 'cancelled'))`,
    );
    await db.query(`
      ALTER TABLE "documents"."documents"
        ADD COLUMN "cancel_requested_at" timestamptz,
        ADD COLUMN "cancel_event_id" varchar(128),
        ADD COLUMN "cancel_correlation_id" varchar(128),
        ADD COLUMN "cancel_reason" varchar(500),
        ADD COLUMN "cancel_failure" jsonb,
        ADD COLUMN "cancelled_at" timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    // The records are kept: a cancelled document goes back as failed, with CANCELLED as its last error.
    await db.query(
      `UPDATE "documents"."documents" SET "status" = 'failed', "last_error_code" = 'CANCELLED',
         "last_error_messages" = jsonb_build_array('Cancelled' || COALESCE(': ' || "cancel_reason", '')), "last_error_at" = "cancelled_at"
       WHERE "status" = 'cancelled'`,
    );
    await db.query(`
      ALTER TABLE "documents"."documents"
        DROP COLUMN "cancel_requested_at", DROP COLUMN "cancel_event_id", DROP COLUMN "cancel_correlation_id",
        DROP COLUMN "cancel_reason", DROP COLUMN "cancel_failure", DROP COLUMN "cancelled_at"`);
    await db.query(`ALTER TABLE "documents"."documents" DROP CONSTRAINT "documents_status_check"`);
    await db.query(
      `ALTER TABLE "documents"."documents" ADD CONSTRAINT "documents_status_check"
       CHECK ("status" IN ('waiting_contact', 'waiting_connection', 'pending', 'created', 'failed'))`,
    );
  }
}
