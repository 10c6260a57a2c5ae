import { MigrationInterface, QueryRunner } from 'typeorm';

export class ClientsAndContactMappings1767300000000 implements MigrationInterface {
  name = 'ClientsAndContactMappings1767300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "contacts"."clients" (
        "company_id" varchar(64) NOT NULL,
        "client_id" varchar(128) NOT NULL,
        "name" varchar(255) NOT NULL,
        "first_name" varchar(255),
        "last_name" varchar(255),
        "email" varchar(255),
        "phone" varchar(50),
        "tax_number" varchar(50),
        "account_number" varchar(50),
        "address" jsonb,
        "source_updated_at" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "clients_pkey" PRIMARY KEY ("company_id", "client_id")
      )`);
    await db.query(`
      CREATE TABLE "contacts"."contact_mappings" (
        "company_id" varchar(64) NOT NULL,
        "client_id" varchar(128) NOT NULL,
        "xero_contact_id" uuid NOT NULL,
        "contact_name" varchar(255) NOT NULL,
        "linked_by" varchar(16) NOT NULL CHECK ("linked_by" IN ('created', 'matched')),
        "content_hash" char(64) NOT NULL,
        "sent_contact" jsonb NOT NULL,
        "write_count" integer NOT NULL CHECK ("write_count" >= 1),
        "last_written_at" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "contact_mappings_pkey" PRIMARY KEY ("company_id", "client_id"),
        CONSTRAINT "contact_mappings_company_contact_key" UNIQUE ("company_id", "xero_contact_id"),
        CONSTRAINT "contact_mappings_client_fkey" FOREIGN KEY ("company_id", "client_id") REFERENCES "contacts"."clients" ("company_id", "client_id")
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "contacts"."contact_mappings"`);
    await db.query(`DROP TABLE "contacts"."clients"`);
  }
}
