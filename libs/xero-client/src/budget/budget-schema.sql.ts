/**
 * DDL for the shared budget. One row per call (its permit) and one row of learned state per organisation
 * ('*' for the whole app). Kept as a function of the schema name so tests can use a private schema.
 */
export function budgetSchemaUpSql(schema: string): string[] {
  const s = quoteIdent(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.call_permit (
      id bigserial PRIMARY KEY,
      tenant_id text NOT NULL,
      started_at timestamptz NOT NULL,
      lease_expires_at timestamptz NOT NULL,
      finished_at timestamptz,
      counted_at timestamptz NOT NULL
    )`,
    `COMMENT ON COLUMN ${s}.call_permit.counted_at IS 'The call counts in a window while counted_at is inside it: the lease expiry while in flight, the finish time after'`,
    `CREATE INDEX IF NOT EXISTS call_permit_tenant_counted_idx ON ${s}.call_permit (tenant_id, counted_at)`,
    `CREATE INDEX IF NOT EXISTS call_permit_counted_idx ON ${s}.call_permit (counted_at)`,
    `CREATE INDEX IF NOT EXISTS call_permit_open_idx ON ${s}.call_permit (tenant_id, lease_expires_at) WHERE finished_at IS NULL`,
    `CREATE TABLE IF NOT EXISTS ${s}.tenant_state (
      tenant_id text PRIMARY KEY,
      blocked_until timestamptz,
      minute_shortfall integer NOT NULL DEFAULT 0,
      minute_shortfall_until timestamptz,
      day_shortfall integer NOT NULL DEFAULT 0,
      day_shortfall_until timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  ];
}

export function budgetSchemaDownSql(schema: string): string[] {
  return [`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`];
}

export function quoteIdent(identifier: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(identifier)) throw new Error(`Invalid schema name '${identifier}'`);
  return `"${identifier}"`;
}
