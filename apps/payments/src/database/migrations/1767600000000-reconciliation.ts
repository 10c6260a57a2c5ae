import { xeroOperationsTablesSql } from '@ledgerline/xero-operations';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment reconciliation: the invoices Ledgerline raised with what has been announced of each (the rules'
 * ledger, stored as it is), every decision with what Xero said, the payments seen, the poll's checkpoint per
 * company and resource, and the operations engine's tables (every read of Xero goes through it).
 */
export class Reconciliation1767600000000 implements MigrationInterface {
  name = 'Reconciliation1767600000000';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of xeroOperationsTablesSql('payments').up) await db.query(statement);
    await db.query(`CREATE TABLE "payments"."reconciled_invoices" (
      "company_id" TEXT NOT NULL,
      "xero_invoice_id" UUID NOT NULL,
      "request_id" TEXT,
      "currency_code" TEXT NOT NULL,
      "total" NUMERIC(19, 4) NOT NULL,
      "correlation_id" TEXT NOT NULL,
      "ledger" JSONB NOT NULL,
      "balance" JSONB NOT NULL,
      "standing" TEXT NOT NULL DEFAULT 'unpaid' CHECK ("standing" IN ('unpaid', 'partially_paid', 'paid', 'voided', 'deleted')),
      "raised_at" TIMESTAMPTZ NOT NULL,
      "updated_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY ("company_id", "xero_invoice_id")
    )`);
    await db.query(`CREATE INDEX "reconciled_invoices_raised" ON "payments"."reconciled_invoices" ("company_id", "raised_at")`);
    await db.query(`CREATE TABLE "payments"."reconciliation_history" (
      "id" UUID PRIMARY KEY,
      "company_id" TEXT NOT NULL,
      "xero_invoice_id" UUID NOT NULL,
      "seq" BIGSERIAL NOT NULL,
      "decision" TEXT NOT NULL,
      "detail" JSONB NOT NULL,
      "observed" JSONB NOT NULL,
      "source" TEXT NOT NULL CHECK ("source" IN ('webhook', 'poll')),
      "operation_id" UUID,
      "event_id" UUID,
      "decided_at" TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE INDEX "reconciliation_history_invoice" ON "payments"."reconciliation_history" ("company_id", "xero_invoice_id", "seq")`);
    await db.query(`CREATE TABLE "payments"."invoice_payments" (
      "company_id" TEXT NOT NULL,
      "xero_payment_id" UUID NOT NULL,
      "xero_invoice_id" UUID NOT NULL,
      "amount" NUMERIC(19, 4) NOT NULL,
      "currency_code" TEXT NOT NULL,
      "payment_date" DATE NOT NULL,
      "reference" TEXT,
      "status" TEXT NOT NULL CHECK ("status" IN ('recorded', 'reversed')),
      "recorded_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "reversed_at" TIMESTAMPTZ,
      PRIMARY KEY ("company_id", "xero_payment_id")
    )`);
    await db.query(`CREATE INDEX "invoice_payments_by_date" ON "payments"."invoice_payments" ("company_id", "payment_date", "xero_payment_id")`);
    await db.query(`CREATE INDEX "invoice_payments_by_invoice" ON "payments"."invoice_payments" ("company_id", "xero_invoice_id")`);
    await db.query(`CREATE TABLE "payments"."poll_checkpoints" (
      "company_id" TEXT NOT NULL,
      "resource" TEXT NOT NULL CHECK ("resource" IN ('Invoices', 'Payments')),
      "modified_since" TIMESTAMPTZ NOT NULL,
      "last_run_at" TIMESTAMPTZ,
      "updated_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY ("company_id", "resource")
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "payments"."poll_checkpoints"`);
    await db.query(`DROP TABLE "payments"."invoice_payments"`);
    await db.query(`DROP TABLE "payments"."reconciliation_history"`);
    await db.query(`DROP TABLE "payments"."reconciled_invoices"`);
    for (const statement of xeroOperationsTablesSql('payments').down) await db.query(statement);
  }
}
