import { createTestDatabase, PrivatePostgres, startPrivatePostgres, TestDatabase, uniqueId } from '@ledgerline/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { dataSourceOptions, ensureSchema } from '../src';

jest.setTimeout(90_000);

let server: PrivatePostgres;
let database: TestDatabase;

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  server = await startPrivatePostgres({ tls: true });
  database = await createTestDatabase(server.tlsUrl);
});

afterAll(async () => {
  await database?.drop().catch(() => undefined);
  await server?.destroy();
});

describe('Postgres over TLS, from DATABASE_URL', () => {
  it('is refused without TLS, so what follows really used it', async () => {
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow(/no pg_hba\.conf entry .*no encryption/);
  });

  it('creates the schema over TLS, and holds at most the pool size of connections, each encrypted', async () => {
    expect(database.url).toContain('sslmode=verify-full');
    await ensureSchema(database.url, 'tls_check');
    const tag = uniqueId('pool-');
    const options = dataSourceOptions(database.url, { schema: 'tls_check', entities: [], migrations: [] }, false, 3) as PostgresConnectionOptions;
    const dataSource = new DataSource({ ...options, applicationName: tag });
    await dataSource.initialize();
    try {
      // Six queries at once through a pool of three: three run, three wait their turn.
      const running = Promise.all(Array.from({ length: 6 }, () => dataSource.query('SELECT pg_sleep(0.4)')));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const sessions = await query<{ ssl: boolean }>(
        database.url,
        'SELECT s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.application_name = $1',
        [tag],
      );
      await running;
      expect(sessions).toHaveLength(3);
      expect(sessions.every((session) => session.ssl)).toBe(true);
    } finally {
      await dataSource.destroy();
    }
  });

  it('refuses a server whose certificate it cannot check, rather than talking to it unchecked', async () => {
    const unchecked = new URL(database.url);
    unchecked.searchParams.delete('sslrootcert');
    await expect(query(unchecked.toString(), 'SELECT 1')).rejects.toThrow(/self[- ]signed certificate/);
  });
});
