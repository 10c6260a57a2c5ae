import { assertSchemaName } from '@ledgerline/messaging';

/**
 * The engine's tables in a service's own schema: the operations (what to change in Xero, with its body),
 * the batches they travel in (members, key, lease), and every attempt (the service's sync log). Each
 * service's own migration creates them, like the outbox.
 */
export function xeroOperationsTablesSql(schema: string): { up: string[]; down: string[] } {
  const s = assertSchemaName(schema);
  return {
    up: [
      `CREATE TABLE "${s}"."xero_operation_batches" (
        "id" uuid PRIMARY KEY,
        "company_id" varchar(64) NOT NULL,
        "kind" varchar(64) NOT NULL,
        "idempotency_key" varchar(128) NOT NULL UNIQUE,
        "operation_ids" uuid[] NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'open' CHECK ("status" IN ('open', 'done')),
        "tries" integer NOT NULL DEFAULT 0,
        "unproven_sends" integer NOT NULL DEFAULT 0,
        "key_sent_at" timestamptz,
        "look_ups" integer NOT NULL DEFAULT 0,
        "lease_token" uuid,
        "lease_until" timestamptz,
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        "last_error" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "completed_at" timestamptz
      )`,
      `CREATE INDEX "xero_operation_batches_open" ON "${s}"."xero_operation_batches" ("next_attempt_at") WHERE "status" = 'open'`,
      `CREATE TABLE "${s}"."xero_operations" (
        "id" uuid PRIMARY KEY,
        "company_id" varchar(64) NOT NULL,
        "kind" varchar(64) NOT NULL,
        "target" varchar(255) NOT NULL,
        "body" jsonb NOT NULL,
        "status" varchar(24) NOT NULL CHECK ("status" IN ('pending', 'waiting_connection', 'succeeded', 'failed')),
        "batch_id" uuid REFERENCES "${s}"."xero_operation_batches" ("id"),
        "ready_at" timestamptz,
        "result" jsonb,
        "failure" jsonb,
        "correlation_id" varchar(128) NOT NULL,
        "causation_id" varchar(128),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "completed_at" timestamptz
      )`,
      `CREATE INDEX "xero_operations_ready" ON "${s}"."xero_operations" ("kind", "company_id", "ready_at") WHERE "status" = 'pending' AND "batch_id" IS NULL`,
      `CREATE INDEX "xero_operations_waiting" ON "${s}"."xero_operations" ("company_id") WHERE "status" = 'waiting_connection'`,
      `CREATE INDEX "xero_operations_by_target" ON "${s}"."xero_operations" ("company_id", "kind", "target")`,
      `CREATE INDEX "xero_operations_by_batch" ON "${s}"."xero_operations" ("batch_id")`,
      `CREATE TABLE "${s}"."xero_operation_attempts" (
        "id" uuid PRIMARY KEY,
        "company_id" varchar(64) NOT NULL,
        "kind" varchar(64) NOT NULL,
        "batch_id" uuid NOT NULL,
        "operation_ids" uuid[] NOT NULL,
        "targets" text[] NOT NULL,
        "idempotency_key" varchar(128) NOT NULL,
        "attempt" integer NOT NULL,
        "started_at" timestamptz NOT NULL,
        "duration_ms" integer NOT NULL,
        "xero_status" integer,
        "calls_used" integer NOT NULL,
        "outcome" varchar(24) NOT NULL,
        "error_code" varchar(64),
        "messages" jsonb NOT NULL DEFAULT '[]'
      )`,
      `CREATE INDEX "xero_operation_attempts_by_company" ON "${s}"."xero_operation_attempts" ("company_id", "started_at" DESC)`,
      `CREATE INDEX "xero_operation_attempts_started" ON "${s}"."xero_operation_attempts" ("started_at")`,
    ],
    down: [
      `DROP TABLE "${s}"."xero_operation_attempts"`,
      `DROP TABLE "${s}"."xero_operations"`,
      `DROP TABLE "${s}"."xero_operation_batches"`,
    ],
  };
}
