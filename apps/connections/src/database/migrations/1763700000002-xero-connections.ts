import { MigrationInterface, QueryRunner } from 'typeorm';

export class XeroConnections1763700000002 implements MigrationInterface {
  name = 'XeroConnections1763700000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE "connections"."xero_connections" (
      "id" UUID PRIMARY KEY,
      "company_id" TEXT NOT NULL,
      "status" TEXT NOT NULL CHECK ("status" IN ('pending_tenant', 'connected', 'expired', 'revoked', 'disconnected')),
      "tenant_id" UUID,
      "tenant_name" TEXT,
      "xero_connection_id" UUID,
      "auth_event_id" UUID,
      "granted_tenants" JSONB NOT NULL DEFAULT '[]',
      "scopes" TEXT NOT NULL,
      "access_token" TEXT,
      "refresh_token" TEXT,
      "access_token_expires_at" TIMESTAMPTZ,
      "refresh_token_issued_at" TIMESTAMPTZ,
      "last_refreshed_at" TIMESTAMPTZ,
      "refresh_count" INT NOT NULL DEFAULT 0,
      "connected_by" TEXT NOT NULL,
      "connected_at" TIMESTAMPTZ,
      "status_reason" TEXT,
      "status_changed_at" TIMESTAMPTZ NOT NULL,
      "disconnected_by" TEXT,
      "created_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      CONSTRAINT "xero_connections_tokens_sealed" CHECK (
        ("access_token" IS NULL OR "access_token" LIKE 'v1:%') AND ("refresh_token" IS NULL OR "refresh_token" LIKE 'v1:%')
      ),
      CONSTRAINT "xero_connections_connected_has_tenant" CHECK ("status" <> 'connected' OR ("tenant_id" IS NOT NULL AND "refresh_token" IS NOT NULL))
    )`);
    // One current connection per company; disconnected ones are history.
    await db.query(`CREATE UNIQUE INDEX "xero_connections_current_per_company" ON "connections"."xero_connections" ("company_id") WHERE "status" <> 'disconnected'`);
    await db.query(`CREATE INDEX "xero_connections_keep_alive" ON "connections"."xero_connections" ("refresh_token_issued_at") WHERE "status" = 'connected'`);

    await db.query(`CREATE TABLE "connections"."oauth_states" (
      "id" UUID PRIMARY KEY,
      "state_hash" TEXT NOT NULL UNIQUE,
      "company_id" TEXT NOT NULL,
      "user_id" TEXT NOT NULL,
      "code_verifier" TEXT NOT NULL CHECK ("code_verifier" LIKE 'v1:%'),
      "expires_at" TIMESTAMPTZ NOT NULL,
      "consumed_at" TIMESTAMPTZ,
      "created_at" TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE INDEX "oauth_states_expires_at" ON "connections"."oauth_states" ("expires_at")`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "connections"."oauth_states"`);
    await db.query(`DROP TABLE "connections"."xero_connections"`);
  }
}
