import { assertSchemaName } from '@ledgerline/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An operation keeps the trace it was recorded in (its W3C `traceparent`), so the Xero call the worker makes
 * later, and the outcome events it writes, belong to that same trace. One line in a service's migrations:
 * `operationsTraceContextMigration('<schema>')`.
 */
export function operationsTraceContextMigration(schema: string): new () => MigrationInterface {
  const s = assertSchemaName(schema);
  return class OperationsTraceContext1768000000001 implements MigrationInterface {
    name = 'OperationsTraceContext1768000000001';

    async up(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE "${s}"."xero_operations" ADD COLUMN IF NOT EXISTS "trace_parent" TEXT`);
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE "${s}"."xero_operations" DROP COLUMN IF EXISTS "trace_parent"`);
    }
  };
}
