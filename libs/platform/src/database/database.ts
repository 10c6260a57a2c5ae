import { Client } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { assertSchemaName } from '@ledgerline/messaging';

export interface DatabaseDefinition {
  /** The service's own Postgres schema; no other service reads it. */
  schema: string;
  // TypeORM takes entity and migration classes as plain constructors.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}

/**
 * TypeORM settings for a service: its schema, its migrations, never `synchronize`. TLS comes from the URL
 * itself (`sslmode`, `sslrootcert`, `sslcert`, `sslkey`, read by node-postgres); `poolSize` caps the
 * connections one process holds.
 */
export function dataSourceOptions(url: string, database: DatabaseDefinition, migrationsRun = false, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema: assertSchemaName(database.schema),
    entities: database.entities,
    migrations: database.migrations,
    migrationsTableName: 'migrations',
    migrationsRun,
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: poolSize },
  };
}

/** Creates the service's schema if it is missing (migrations keep their own table inside it). */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${assertSchemaName(schema)}"`);
  } finally {
    await client.end();
  }
}
