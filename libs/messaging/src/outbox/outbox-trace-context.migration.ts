import { MigrationInterface, QueryRunner } from 'typeorm';
import { assertSchemaName } from './messaging-tables';

/**
 * The outbox keeps the trace an event was written in (its W3C `traceparent`), so the relay publishes it
 * with that header and the consumer's span continues the same trace. One line in a service's migrations:
 * `outboxTraceContextMigration('<schema>')`.
 */
export function outboxTraceContextMigration(schema: string): new () => MigrationInterface {
  const s = assertSchemaName(schema);
  return class OutboxTraceContext1768000000000 implements MigrationInterface {
    name = 'OutboxTraceContext1768000000000';

    async up(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE "${s}"."outbox" ADD COLUMN IF NOT EXISTS "trace_parent" TEXT`);
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE "${s}"."outbox" DROP COLUMN IF EXISTS "trace_parent"`);
    }
  };
}
