import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Jobs kept in step with Xero projects, and the two per-company mappings they use: a service type's task
 * template, and an assignee's Xero projects user.
 */
export class Jobs1767900000000 implements MigrationInterface {
  name = 'Jobs1767900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "documents"."jobs" (
        "id" uuid PRIMARY KEY,
        "company_id" varchar(64) NOT NULL,
        "job_id" varchar(128) NOT NULL,
        "client_id" varchar(128) NOT NULL,
        "request" jsonb NOT NULL,
        "job_status" varchar(16),
        "status" varchar(24) NOT NULL CHECK ("status" IN ('waiting_contact', 'waiting_connection', 'pending', 'synced', 'failed')),
        "waiting_origins" jsonb NOT NULL DEFAULT '[]',
        "xero_project_id" uuid,
        "xero_status" varchar(16),
        "xero_contact_id" uuid,
        "xero_user_id" uuid,
        "unmapped_assignee" varchar(255),
        "last_error" jsonb,
        "correlation_id" varchar(128) NOT NULL,
        "causation_id" varchar(128),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        UNIQUE ("company_id", "job_id")
      )`);
    await db.query(`CREATE INDEX "jobs_waiting_contact" ON "documents"."jobs" ("company_id", "client_id") WHERE "status" = 'waiting_contact'`);
    await db.query(`CREATE INDEX "jobs_company_created" ON "documents"."jobs" ("company_id", "created_at" DESC)`);
    await db.query(`
      CREATE TABLE "documents"."service_task_templates" (
        "company_id" varchar(64) NOT NULL,
        "service_type" varchar(100) NOT NULL,
        "tasks" jsonb NOT NULL,
        "updated_by" varchar(255),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("company_id", "service_type")
      )`);
    await db.query(`
      CREATE TABLE "documents"."staff_mappings" (
        "company_id" varchar(64) NOT NULL,
        "assignee" varchar(255) NOT NULL,
        "xero_user_id" uuid NOT NULL,
        "xero_user_name" varchar(255),
        "source" varchar(10) NOT NULL CHECK ("source" IN ('matched', 'manual')),
        "updated_by" varchar(255),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("company_id", "assignee")
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "documents"."staff_mappings"`);
    await db.query(`DROP TABLE "documents"."service_task_templates"`);
    await db.query(`DROP TABLE "documents"."jobs"`);
  }
}
