import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Xero webhook receiver: deliveries stored before they are answered, every event once (keyed by what it
 * says, as Xero's carry no id), the latest instant forwarded per resource, and which company is connected to
 * which Xero organisation.
 */
export class WebhookReceiver1767500000000 implements MigrationInterface {
  name = 'WebhookReceiver1767500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE "payments"."webhook_deliveries" (
      "id" UUID PRIMARY KEY,
      "received_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "body" JSONB NOT NULL,
      "event_count" INTEGER NOT NULL,
      "status" TEXT NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'processed')),
      "tries" INTEGER NOT NULL DEFAULT 0,
      "lease_token" UUID,
      "lease_until" TIMESTAMPTZ,
      "next_attempt_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "last_error" TEXT,
      "processed_at" TIMESTAMPTZ
    )`);
    await db.query(`CREATE INDEX "webhook_deliveries_due" ON "payments"."webhook_deliveries" ("next_attempt_at") WHERE "status" = 'pending'`);
    await db.query(`CREATE TABLE "payments"."webhook_events" (
      "event_key" TEXT PRIMARY KEY,
      "delivery_id" UUID NOT NULL REFERENCES "payments"."webhook_deliveries" ("id"),
      "tenant_id" UUID NOT NULL,
      "event_category" TEXT NOT NULL,
      "event_type" TEXT NOT NULL,
      "resource_id" UUID NOT NULL,
      "event_date_utc" TEXT NOT NULL,
      "event_at" TIMESTAMPTZ NOT NULL,
      "outcome" TEXT NOT NULL CHECK ("outcome" IN ('forwarded', 'stale', 'unrouted', 'unknown_category')),
      "company_ids" TEXT[] NOT NULL DEFAULT '{}',
      "detail" TEXT,
      "processed_at" TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE INDEX "webhook_events_resource" ON "payments"."webhook_events" ("tenant_id", "resource_id")`);
    await db.query(`CREATE TABLE "payments"."webhook_resources" (
      "tenant_id" UUID NOT NULL,
      "event_category" TEXT NOT NULL,
      "resource_id" UUID NOT NULL,
      "last_forwarded_at" TIMESTAMPTZ,
      PRIMARY KEY ("tenant_id", "event_category", "resource_id")
    )`);
    await db.query(`CREATE TABLE "payments"."xero_tenant_links" (
      "company_id" TEXT PRIMARY KEY,
      "tenant_id" UUID NOT NULL,
      "connection_id" UUID NOT NULL,
      "status" TEXT NOT NULL CHECK ("status" IN ('connected', 'disconnected', 'expired')),
      "updated_at" TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE INDEX "xero_tenant_links_connected" ON "payments"."xero_tenant_links" ("tenant_id") WHERE "status" = 'connected'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "payments"."xero_tenant_links"`);
    await db.query(`DROP TABLE "payments"."webhook_resources"`);
    await db.query(`DROP TABLE "payments"."webhook_events"`);
    await db.query(`DROP TABLE "payments"."webhook_deliveries"`);
  }
}
