const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`"${schema}" is not a valid schema name (lower case, digits, _)`);
  return schema;
}

/**
 * The tables the messaging layer keeps in each service's schema: the outbox and the processed-event ledger.
 * Each service's own migration creates them, so they belong to that service's schema like its other tables.
 */
export function messagingTablesSql(schema: string): { up: string[]; down: string[] } {
  const s = assertSchemaName(schema);
  return {
    up: [
      `CREATE TABLE "${s}"."outbox" (
        "seq" BIGSERIAL PRIMARY KEY,
        "event_id" UUID NOT NULL UNIQUE,
        "topic" TEXT NOT NULL,
        "message_key" TEXT NOT NULL,
        "payload" JSONB NOT NULL,
        "created_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "published_at" TIMESTAMPTZ
      )`,
      `CREATE INDEX "outbox_unpublished" ON "${s}"."outbox" ("seq") WHERE "published_at" IS NULL`,
      `CREATE TABLE "${s}"."processed_events" (
        "consumer" TEXT NOT NULL,
        "event_id" UUID NOT NULL,
        "company_id" TEXT NOT NULL,
        "processed_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY ("consumer", "event_id")
      )`,
    ],
    down: [`DROP TABLE "${s}"."processed_events"`, `DROP TABLE "${s}"."outbox"`],
  };
}
