import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A short random id for names that must not collide between test files and runs. */
export const uniqueId = (prefix = 't'): string => `${prefix}${randomBytes(5).toString('hex')}`;

/** Starts (or reuses) the local Kafka broker through the repo's launcher; KAFKA_BROKERS wins when set. */
export async function ensureKafka(): Promise<string> {
  // The launcher is plain CommonJS shared with the command line.
  const launcher = require(path.join(REPO_ROOT, 'tools/kafka/kafka.cjs')) as {
    start: (env?: NodeJS.ProcessEnv) => Promise<{ brokers: string }>;
  };
  const { brokers } = await launcher.start(process.env);
  return brokers;
}

export interface TestDatabase {
  url: string;
  drop: () => Promise<void>;
}

/**
 * A fresh, empty database on the test Postgres server (or on the server `serverUrl` names, e.g. a
 * private one from `startPrivatePostgres()`); drop it with the returned function.
 */
export async function createTestDatabase(serverUrl?: string): Promise<TestDatabase> {
  const base = new URL(serverUrl ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  const name = uniqueId('ledgerline_test_');
  const admin = new Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: base.toString() });
      await client.connect();
      try {
        // A pool's end() resolves before its backends have exited. Forcing the drop while one lingers would
        // terminate it (57P01) and surface as an unhandled error in the pool that just closed, so wait first.
        await eventually(
          `the sessions on ${name} to close`,
          async () => (await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name])).rows[0].n === 0,
          10_000,
          50,
        ).catch(() => undefined);
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The lowest port the kernel hands out for outgoing connections (Linux; 32768 where it cannot be read). */
function ephemeralPortFloor(): number {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function listensOn(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

const PORT_FLOOR = 20_000;

/**
 * A TCP port that was free a moment ago on 127.0.0.1, for a process that binds it later. It is chosen
 * below the kernel's ephemeral range: a port from that range can be taken in the meantime as the local
 * end of any outgoing connection (a database or broker client), and the later bind would then fail.
 */
export async function freePort(): Promise<number> {
  const ceiling = ephemeralPortFloor();
  if (ceiling - PORT_FLOOR < 1_000) return (await listensOn(0)) as number;
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await listensOn(randomInt(PORT_FLOOR, ceiling));
    if (port) return port;
  }
  throw new Error(`no free TCP port found between ${PORT_FLOOR} and ${ceiling} on 127.0.0.1`);
}

/** Polls `check` until it returns a value other than undefined/false, or fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await check();
      if (result !== undefined && result !== false) return result as T;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}
