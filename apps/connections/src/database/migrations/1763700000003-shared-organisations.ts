import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One Xero organisation in several companies: the Xero user behind each connection (revoking a refresh
 * token removes all of that user's connections to the app, so it decides what a disconnect may undo at
 * Xero), when Xero's connections list was last checked for the organisation, and the organisations a
 * super admin allowed to be shared.
 */
export class SharedOrganisations1763700000003 implements MigrationInterface {
  name = 'SharedOrganisations1763700000003';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "connections"."xero_connections" ADD COLUMN "xero_user_id" UUID`);
    await db.query(`ALTER TABLE "connections"."xero_connections" ADD COLUMN "tenant_checked_at" TIMESTAMPTZ`);
    await db.query(`CREATE INDEX "xero_connections_current_per_tenant" ON "connections"."xero_connections" ("tenant_id") WHERE "status" <> 'disconnected'`);
    await db.query(`CREATE TABLE "connections"."shared_organisations" (
      "tenant_id" UUID PRIMARY KEY,
      "allowed_by" TEXT NOT NULL,
      "allowed_at" TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "connections"."shared_organisations"`);
    await db.query(`DROP INDEX "connections"."xero_connections_current_per_tenant"`);
    await db.query(`ALTER TABLE "connections"."xero_connections" DROP COLUMN "tenant_checked_at"`);
    await db.query(`ALTER TABLE "connections"."xero_connections" DROP COLUMN "xero_user_id"`);
  }
}
