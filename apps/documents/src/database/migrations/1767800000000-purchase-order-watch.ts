import { MigrationInterface, QueryRunner } from 'typeorm';

/** Where each company's purchase order polling stands: the If-Modified-Since of its next poll for bills. */
export class PurchaseOrderWatch1767800000000 implements MigrationInterface {
  name = 'PurchaseOrderWatch1767800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "documents"."purchase_order_watch" (
        "company_id" varchar(64) PRIMARY KEY,
        "modified_since" timestamptz,
        "polled_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX "documents_purchase_orders_unbilled" ON "documents"."documents" ("company_id") WHERE "type" = 'purchase_order' AND "status" = 'created' AND "xero_status" IN ('DRAFT', 'SUBMITTED', 'AUTHORISED')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "documents"."documents_purchase_orders_unbilled"`);
    await db.query(`DROP TABLE "documents"."purchase_order_watch"`);
  }
}
