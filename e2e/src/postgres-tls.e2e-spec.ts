import { dataSourceOptions } from '@ledgerline/platform';
import { createTestDatabase, ensureKafka, freePort, PrivatePostgres, ServiceProcess, startPrivatePostgres, startServiceProcess, TestDatabase, uniqueId } from '@ledgerline/testing';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

jest.setTimeout(120_000);

let server: PrivatePostgres;
let database: TestDatabase;
let tlsServerUrl: string;
let service: ServiceProcess | undefined;

/** The private server's URL with TLS required and the server's certificate checked against our own CA. */
const withTls = (url: string, ca: string) => `${url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}`;

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
  server = await startPrivatePostgres();
  // A self-signed certificate for 127.0.0.1, which is also the CA the clients trust.
  const cert = path.join(server.directory, 'server.crt');
  const key = path.join(server.directory, 'server.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {
    stdio: 'ignore',
  });
  // The server refuses a key anyone else can read, and reads it as its own user.
  const owner = fs.statSync(server.directory);
  for (const file of [cert, key]) fs.chownSync(file, owner.uid, owner.gid);
  fs.chmodSync(key, 0o600);
  await query(server.url, `ALTER SYSTEM SET ssl_cert_file = '${cert}'`);
  await query(server.url, `ALTER SYSTEM SET ssl_key_file = '${key}'`);
  await query(server.url, `ALTER SYSTEM SET ssl = 'on'`);
  // TCP connections only over TLS from now on: a client that silently fell back to plain text would be refused.
  fs.writeFileSync(path.join(server.directory, 'data', 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n');
  await query(server.url, 'SELECT pg_reload_conf()');
  tlsServerUrl = withTls(server.url, cert);
  database = await createTestDatabase(tlsServerUrl);
});

afterAll(async () => {
  await service?.stop();
  await database?.drop().catch(() => undefined);
  await server?.destroy();
});

describe('Postgres over TLS, from DATABASE_URL', () => {
  it('refuses a connection without TLS, so what follows really used it', async () => {
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow(/no pg_hba\.conf entry .*no encryption/);
  });

  it('holds at most DATABASE_POOL_SIZE connections, each of them encrypted', async () => {
    const tag = uniqueId('pool-');
    const options = dataSourceOptions(database.url, { schema: 'public', entities: [], migrations: [] }, false, 3);
    const dataSource = new DataSource({ ...(options as PostgresConnectionOptions), applicationName: tag });
    await dataSource.initialize();
    try {
      // Six queries at once through a pool of three: three run, three wait their turn.
      const running = Promise.all(Array.from({ length: 6 }, () => dataSource.query('SELECT pg_sleep(0.4)')));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const sessions = await query<{ ssl: boolean }>(
        tlsServerUrl,
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
    const sessions = await query<{ ssl: boolean }>(tlsServerUrl, 'SELECT s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.datname = $1 AND a.pid <> pg_backend_pid()', [name]);
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((session) => session.ssl)).toBe(true);
    expect(service.output()).not.toMatch(/SECURITY WARNING/);
  });
});
