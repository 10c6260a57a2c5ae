import { spawn } from 'node:child_process';
import { ConnectionsStandIn, createTestDatabase, freePort, REPO_ROOT, SandboxOrganisation, SandboxTestApi, ServiceProcess, startServiceProcess, TestDatabase } from '@ledgerline/testing';
import { Pool } from 'pg';
import { budgetSchemaUpSql } from '../src/budget/budget-schema.sql';
import { createXeroClient, XeroClientHandle } from '../src/client/create-xero-client';
import { XeroLimits } from '../src/config/xero-client.config';

/** Xero's limits scaled down so a test can watch several windows: 30 calls per 5 s, 5 in flight. */
const PER_WINDOW = 30;
const WINDOW_MS = 5_000;
const WINDOWS_MEASURED = 3;
const LIMITS: Partial<XeroLimits> = { perMinute: PER_WINDOW, minuteWindowMs: WINDOW_MS, concurrent: 5, appWindowMs: WINDOW_MS, windowGuardMs: 150, leaseTtlMs: 10_000 };
const schema = 'xero_budget';

interface CallerReport {
  completions: number[];
  failures: Record<string, number>;
  retries: Record<string, number>;
}

describe('one organisation\'s budget shared by three processes (real sandbox, real Postgres)', () => {
  let database: TestDatabase;
  let sandbox: ServiceProcess;
  let connections: ConnectionsStandIn;
  let pool: Pool;
  let busyOrg: SandboxOrganisation;
  let quietOrg: SandboxOrganisation;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 2 });
    for (const sql of budgetSchemaUpSql(schema)) await pool.query(sql);
    sandbox = await startServiceProcess({ entry: 'apps/xero-sandbox/src/main.ts', port: await freePort(), readyPath: '/health/live', env: { LOG_LEVEL: 'warn' } });
    await new SandboxTestApi(sandbox.url).setLimits({ perMinute: PER_WINDOW, minuteWindowMs: WINDOW_MS, concurrent: 5 });
    busyOrg = await SandboxOrganisation.create(sandbox.url, 'Busy Organisation');
    quietOrg = await SandboxOrganisation.create(sandbox.url, 'Quiet Organisation');
    connections = new ConnectionsStandIn();
    connections.set('company-a', () => busyOrg.token());
    connections.set('company-b', () => quietOrg.token());
    await connections.start();
  }, 60_000);

  afterAll(async () => {
    await connections?.stop();
    await sandbox?.stop();
    await pool?.end();
    await database?.drop();
  });

  /** A caller process, loaded and waiting for its window; `begin` sends it the window and resolves with its report. */
  async function startCaller(): Promise<{ begin: (startAt: number, stopAt: number) => Promise<CallerReport> }> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'libs/xero-client/test/support/rate-caller.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        COMPANY_ID: 'company-a',
        WORKERS: '6',
        XERO_API_BASE_URL: sandbox.url,
        CONNECTIONS_INTERNAL_URL: connections.url,
        INTERNAL_API_TOKEN: connections.internalToken,
        DATABASE_URL: database.url,
        BUDGET_SCHEMA: schema,
        LIMITS_JSON: JSON.stringify(LIMITS),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<CallerReport>((resolve, reject) => {
      child.once('exit', (code) => {
        if (code !== 0) return reject(new Error(`caller exited ${code}: ${stderr}`));
        resolve(JSON.parse(stdout.trim().split('\n').pop() as string) as CallerReport);
      });
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.startsWith('ready\n')) resolve();
      });
      exited.catch(reject);
    });
    return {
      begin: (startAt, stopAt) => {
        child.stdin.end(`${JSON.stringify({ startAt, stopAt })}\n`);
        return exited;
      },
    };
  }

  it('reaches at least 90% of the allowed rate with no 429, while another organisation is not slowed', async () => {
    const loaded = await Promise.all([startCaller(), startCaller(), startCaller()]);
    const startAt = Date.now() + 500;
    const stopAt = startAt + WINDOWS_MEASURED * WINDOW_MS;
    const callers = loaded.map((caller) => caller.begin(startAt, stopAt));

    // Meanwhile this process calls the second organisation at a modest pace, timing each call.
    const quiet: XeroClientHandle = createXeroClient({
      config: { apiBaseUrl: sandbox.url, connectionsInternalUrl: connections.url, internalApiToken: connections.internalToken, databaseUrl: database.url, budgetSchema: schema, limits: LIMITS, requestTimeoutMs: 5_000 },
    });
    const quietLatencies: number[] = [];
    await new Promise((r) => setTimeout(r, startAt - Date.now() + 500));
    while (Date.now() < stopAt - 500) {
      const t0 = Date.now();
      await quiet.client.getOrganisation('company-b');
      quietLatencies.push(Date.now() - t0);
      await new Promise((r) => setTimeout(r, 400));
    }
    await quiet.close();

    const reports = await Promise.all(callers);
    const countersA = await busyOrg.counters();
    const inWindow = reports.flatMap((r) => r.completions).filter((t) => t >= startAt && t < stopAt).sort((a, b) => a - b);
    const allowed = PER_WINDOW * WINDOWS_MEASURED;
    const perProcess = reports.map((r) => r.completions.filter((t) => t >= startAt && t < stopAt).length);
    const summary = {
      achieved: inWindow.length,
      allowed,
      ratio: inWindow.length / allowed,
      perProcess,
      failures: reports.map((r) => r.failures),
      retries: reports.map((r) => r.retries),
      sandboxA: countersA,
      rejected: (await busyOrg.calls()).filter((c) => c.status === 429),
      quietMaxLatencyMs: Math.max(...quietLatencies),
      quietCalls: quietLatencies.length,
    };
    process.stdout.write(`shared budget: ${JSON.stringify(summary)}\n`);
    if (process.env['DEBUG_BUDGET']) {
      const log = await busyOrg.calls();
      process.stdout.write(JSON.stringify(log.map((c) => [Date.parse(c.at) - startAt, c.durationMs, c.status])) + '\n');
      const { rows } = await pool.query(`SELECT extract(epoch from started_at)*1000 - $1 AS s, extract(epoch from counted_at)*1000 - $1 AS c FROM ${schema}.call_permit ORDER BY started_at`, [startAt]);
      process.stdout.write(JSON.stringify(rows.map((r) => [Math.round(r.s), Math.round(r.c)])) + '\n');
    }

    expect(countersA.rateLimited).toBe(0);
    expect(reports.every((r) => Object.keys(r.failures).length === 0)).toBe(true);
    expect(reports.every((r) => !r.retries['429'])).toBe(true);
    expect(inWindow.length).toBeGreaterThanOrEqual(Math.ceil(allowed * 0.9));
    expect(inWindow.length).toBeLessThanOrEqual(allowed);
    // Every process got a share: the budget is shared, not grabbed by one.
    expect(Math.min(...perProcess)).toBeGreaterThan(0);
    // Any 5 s of the first organisation's calls would be a wait of seconds; the second's stay fast.
    expect(quietLatencies.length).toBeGreaterThanOrEqual(15);
    expect(Math.max(...quietLatencies)).toBeLessThan(1_000);
  }, 45_000);
});
