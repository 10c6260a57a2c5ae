import { createTestDatabase, ensureKafka, freePort, PrivatePostgres, ServiceProcess, startPrivatePostgres, startServiceProcess, TestDatabase, uniqueId } from '@ledgerline/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

jest.setTimeout(120_000);

// libs/platform/test/database-tls.int-spec.ts checks the pool and the certificate; this runs a whole service on TLS.
let server: PrivatePostgres;
let database: TestDatabase;
let service: ServiceProcess | undefined;

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
  await service?.stop();
  await database?.drop().catch(() => undefined);
  await server?.destroy();
});

describe('a service on Postgres over TLS', () => {
  it('runs a service on it: migrations, ready, every session encrypted', async () => {
    service = await startServiceProcess({
      entry: 'apps/payments/src/main.ts',
      port: await freePort(),
      env: {
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: '4',
        MIGRATIONS_RUN: 'true',
        KAFKA_BROKERS: await ensureKafka(),
        KAFKA_TOPIC_PREFIX: `${uniqueId('pgtls-')}.`,
        XERO_WEBHOOK_KEY: `webhook-${randomBytes(16).toString('hex')}`,
        CONNECTIONS_INTERNAL_URL: 'http://127.0.0.1:3001',
        INTERNAL_API_TOKEN: `internal-${randomBytes(24).toString('hex')}`,
        JWT_SECRET: `jwt-${randomBytes(24).toString('hex')}`,
      },
    });
    const ready = await fetch(`${service.url}/health/ready`).then((r) => r.json());
    expect(ready).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
    const name = new URL(database.url).pathname.slice(1);
    const sessions = await query<{ ssl: boolean }>(database.url, 'SELECT s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.datname = $1 AND a.pid <> pg_backend_pid()', [name]);
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((session) => session.ssl)).toBe(true);
    expect(service.output()).not.toMatch(/SECURITY WARNING/);
  });
});
