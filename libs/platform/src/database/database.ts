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

/** TypeORM settings for a service: its schema, its migrations, never `synchronize`. */
export function dataSourceOptions(url: string, database: DatabaseDefinition, migrationsRun = false): DataSourceOptions {
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
    extra: { max: 10 },
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
