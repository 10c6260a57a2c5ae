import { assertSchemaName } from '@ledgerline/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes that keep forming a batch cheap however long a company's backlog is (100,000 ready operations took
 * minutes a batch without them): the operations on their way to Xero (a few batches' worth) get an index of
 * their own, and the ready index also orders by id, so the oldest ready operations are read straight from it. One
 * line in a service's migrations: `operationsBacklogIndexesMigration('<schema>')`.
 */
export function operationsBacklogIndexesMigration(schema: string): new () => MigrationInterface {
  const s = assertSchemaName(schema);
  return class OperationsBacklogIndexes1768100000000 implements MigrationInterface {
    name = 'OperationsBacklogIndexes1768100000000';

    async up(db: QueryRunner): Promise<void> {
      await db.query(
        `CREATE INDEX IF NOT EXISTS "xero_operations_in_flight" ON "${s}"."xero_operations" ("company_id", "kind", "target") WHERE "status" = 'pending' AND "batch_id" IS NOT NULL`,
      );
      await db.query(`DROP INDEX IF EXISTS "${s}"."xero_operations_ready"`);
      await db.query(`CREATE INDEX "xero_operations_ready" ON "${s}"."xero_operations" ("kind", "company_id", "ready_at", "id") WHERE "status" = 'pending' AND "batch_id" IS NULL`);
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(`DROP INDEX IF EXISTS "${s}"."xero_operations_ready"`);
      await db.query(`CREATE INDEX "xero_operations_ready" ON "${s}"."xero_operations" ("kind", "company_id", "ready_at") WHERE "status" = 'pending' AND "batch_id" IS NULL`);
      await db.query(`DROP INDEX IF EXISTS "${s}"."xero_operations_in_flight"`);
    }
  };
}
