import { MigrationInterface, QueryRunner } from 'typeorm';

/** Where each company's quote polling stands: the If-Modified-Since of its next poll. */
export class QuoteWatch1767700000000 implements MigrationInterface {
  name = 'QuoteWatch1767700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "documents"."quote_watch" (
        "company_id" varchar(64) PRIMARY KEY,
        "modified_since" timestamptz,
        "polled_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX "documents_quotes_sent" ON "documents"."documents" ("company_id") WHERE "type" = 'quote' AND "status" = 'created' AND "xero_status" = 'SENT'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "documents"."documents_quotes_sent"`);
    await db.query(`DROP TABLE "documents"."quote_watch"`);
  }
}
