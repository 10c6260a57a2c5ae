import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sync requests for clients not received yet: `client.upserted` travels on another topic and may arrive a moment
 * after the request for it. One row per (company, client); it stays until the client arrives or the wait runs out.
 */
export class PendingSyncRequests1767400000000 implements MigrationInterface {
  name = 'PendingSyncRequests1767400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "contacts"."pending_sync_requests" (
        "company_id" varchar(64) NOT NULL,
        "client_id" varchar(128) NOT NULL,
        "request_event_id" uuid NOT NULL,
        "correlation_id" varchar(128) NOT NULL,
        "first_requested_at" timestamptz NOT NULL DEFAULT now(),
        "request_count" integer NOT NULL DEFAULT 1 CHECK ("request_count" >= 1),
        CONSTRAINT "pending_sync_requests_pkey" PRIMARY KEY ("company_id", "client_id")
      )`);
    await db.query(`CREATE INDEX "pending_sync_requests_first_requested_at" ON "contacts"."pending_sync_requests" ("first_requested_at")`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "contacts"."pending_sync_requests"`);
  }
}
