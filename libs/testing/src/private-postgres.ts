import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { eventually, freePort } from './infrastructure';

const run = promisify(execFile);

export interface PrivatePostgres {
  port: number;
  /** The `postgres` database on this server, as superuser `postgres` (trust auth, 127.0.0.1 only). */
  url: string;
  /** Stops the server: `fast` ends every session with 57P01, as a managed database's failover does. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it, waits `downMs`, starts it again. */
  restart(downMs?: number, mode?: 'fast' | 'immediate'): Promise<void>;
  readonly running: boolean;
  /** Where its data, socket and log live (removed by destroy()). */
  readonly directory: string;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
  /**
   * With `tls: true`: the server's self-signed certificate (also the CA to trust), and `url` with
   * `sslmode=verify-full&sslrootcert=` that file. TCP connections without TLS are refused.
   */
  readonly caFile?: string;
  readonly tlsUrl?: string;
}

/**
 * The directory of `initdb` and `pg_ctl`: PG_BIN when set, else the newest version under /usr/lib/postgresql
 * (Debian and Ubuntu), else the one `pg_config --bindir` names.
 */
export async function postgresBinDir(): Promise<string> {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length > 0) return path.join(root, versions[0], 'bin');
  try {
    return (await run('pg_config', ['--bindir'])).stdout.trim();
  } catch {
    throw new Error('no Postgres binaries found: install the server package, or set PG_BIN to the directory holding initdb and pg_ctl');
  }
}

/** `initdb` refuses to run as root, and the server must own its data: as root, everything runs as `postgres`. */
async function asServerUser(): Promise<{ uid: number; gid: number; wrap: (command: string, args: string[]) => [string, string[]] } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]).catch(() => {
    throw new Error('running as root, but there is no postgres user to run initdb and the server as');
  });
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((candidate) => fs.existsSync(candidate));
  const wrap = (command: string, args: string[]): [string, string[]] =>
    runuser ? [runuser, ['-u', 'postgres', '--', command, ...args]] : ['su', ['postgres', '-s', '/bin/sh', '-c', [command, ...args].map(shellQuote).join(' ')]];
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), wrap };
}

const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * A Postgres server of the test's own, on a free port, with its data in a temporary directory, so a test
 * can stop and restart it without touching the shared server other test files use. Made for speed, not
 * durability (fsync off); destroy() removes it.
 */
export async function startPrivatePostgres(options: { maxConnections?: number; tls?: boolean } = {}): Promise<PrivatePostgres> {
  const bin = await postgresBinDir();
  const user = await asServerUser();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerline-pg-'));
  const data = path.join(root, 'data');
  const log = path.join(root, 'server.log');
  if (user) fs.chownSync(root, user.uid, user.gid);
  fs.chmodSync(root, 0o700);

  const exec = async (tool: string, args: string[], timeout = 60_000) => {
    const [command, fullArgs] = user ? user.wrap(path.join(bin, tool), args) : [path.join(bin, tool), args];
    try {
      return await run(command, fullArgs, { timeout, cwd: root });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      const serverLog = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2_000) : '';
      throw new Error(`${tool} ${args.join(' ')} failed: ${(error as Error).message}\n${stdout}${stderr}${serverLog && `\n--- server log ---\n${serverLog}`}`);
    }
  };

  await exec('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    `-k ${root}`,
    '-c listen_addresses=127.0.0.1',
    `-c max_connections=${options.maxConnections ?? 200}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c shared_buffers=32MB',
  ].join(' ');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let running = false;
  // Once TLS is on, plain connections are refused: the readiness check then connects over TLS too.
  let checkUrl = url;

  const answers = async () => {
    const client = new Client({ connectionString: checkUrl, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  const start = async () => {
    if (running) return;
    await exec('pg_ctl', ['-D', data, '-l', log, '-o', serverOptions, '-w', '-t', '60', 'start'], 90_000);
    running = true;
    await eventually(`the private Postgres on ${port} to accept connections`, answers, 30_000, 100);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    await exec('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'], 90_000);
    running = false;
  };

  await start();
  let caFile: string | undefined;
  let tlsUrl: string | undefined;
  if (options.tls) {
    caFile = await enableTls(root, data, url, user);
    tlsUrl = `${url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(caFile)}`;
    await exec('pg_ctl', ['-D', data, 'reload']);
    checkUrl = tlsUrl;
    await eventually(`the private Postgres on ${port} to accept TLS connections`, answers, 30_000, 100);
  }
  return {
    port,
    url,
    caFile,
    tlsUrl,
    directory: root,
    get running() {
      return running;
    },
    start,
    stop,
    restart: async (downMs = 0, mode = 'fast') => {
      await stop(mode);
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    destroy: async () => {
      await stop('immediate').catch(() => undefined);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Gives the server a self-signed certificate for 127.0.0.1 (which clients then trust as their CA), turns
 * TLS on, and allows TCP connections over TLS only, so a client that fell back to plain text is refused.
 * Takes effect on the next reload.
 */
async function enableTls(root: string, data: string, url: string, user: { uid: number; gid: number } | undefined): Promise<string> {
  const cert = path.join(root, 'server.crt');
  const key = path.join(root, 'server.key');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']).catch(
    (error: Error) => {
      throw new Error(`openssl could not make the test certificate: ${error.message}`);
    },
  );
  // The server refuses a key others can read, and reads it as its own user.
  if (user) for (const file of [cert, key]) fs.chownSync(file, user.uid, user.gid);
  fs.chmodSync(key, 0o600);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`ALTER SYSTEM SET ssl_cert_file = '${cert}'`);
    await client.query(`ALTER SYSTEM SET ssl_key_file = '${key}'`);
    await client.query(`ALTER SYSTEM SET ssl = 'on'`);
  } finally {
    await client.end();
  }
  fs.writeFileSync(path.join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n');
  return cert;
}
