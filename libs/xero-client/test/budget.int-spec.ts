import { createTestDatabase, TestDatabase } from '@ledgerline/testing';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { budgetSchemaUpSql } from '../src/budget/budget-schema.sql';
import { DEFAULT_XERO_LIMITS, XeroLimits } from '../src/config/xero-client.config';
import { PostgresRequestBudget } from '../src/budget/postgres-request-budget';
import { XeroBudgetSchema1767225600000 } from '../src/budget/xero-budget-schema.migration';
import { XeroErrorCode } from '../src/errors/xero-error-code';

/** The budgets' schema in this file's database; the migration test creates `xero_budget` itself. */
const schema = 'budget_test';

/** Two pools stand for two processes: they share nothing but Postgres. */
describe('PostgresRequestBudget against real Postgres', () => {
  let database: TestDatabase;
  let poolA: Pool;
  let poolB: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    poolA = new Pool({ connectionString: database.url, max: 4 });
    poolB = new Pool({ connectionString: database.url, max: 4 });
    for (const sql of budgetSchemaUpSql(schema)) await poolA.query(sql);
  });
  afterAll(async () => {
    await Promise.all([poolA?.end(), poolB?.end()]);
    await database?.drop();
  });

  const budgets = (limits: Partial<XeroLimits>) => {
    const all = { ...DEFAULT_XERO_LIMITS, windowGuardMs: 0, ...limits };
    return [new PostgresRequestBudget(poolA, { schema, limits: all }), new PostgresRequestBudget(poolB, { schema, limits: all })];
  };

  it('never grants more than the window allows, across processes, and grants again when the window moves', async () => {
    const tenant = 'window';
    const [a, b] = budgets({ perMinute: 6, minuteWindowMs: 1_000, concurrent: 10 });
    const grantedAt: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 14 }, (_, i) =>
        (i % 2 === 0 ? a : b).acquire(tenant).then(async (permit) => {
          grantedAt.push(Date.now() - started);
          await permit.release();
        }),
      ),
    );
    grantedAt.sort((x, y) => x - y);
    for (let i = 6; i < grantedAt.length; i++) {
      // The 7th grant must come at least a window after the 1st, and so on.
      expect(grantedAt[i] - grantedAt[i - 6]).toBeGreaterThanOrEqual(990);
    }
    // Six a window from 0 ms: the 13th and 14th are due at about 2,000 ms.
    expect(grantedAt[13]).toBeLessThan(2_900);
  });

  it('holds in-flight calls to the concurrency limit and frees a slot on release', async () => {
    const tenant = 'concurrent';
    const [a, b] = budgets({ concurrent: 2 });
    const first = await a.acquire(tenant);
    await b.acquire(tenant);
    let thirdGranted = false;
    const third = a.acquire(tenant).then((p) => {
      thirdGranted = true;
      return p;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(thirdGranted).toBe(false);
    await first.release();
    await third;
    expect(thirdGranted).toBe(true);
  });

  it('lets an abandoned lease (a crashed process) expire', async () => {
    const tenant = 'lease';
    const [a, b] = budgets({ concurrent: 1, leaseTtlMs: 300 });
    await a.acquire(tenant); // never released
    const started = Date.now();
    await b.acquire(tenant);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('shares a Retry-After block with every process', async () => {
    const tenant = 'retry-after';
    const [a, b] = budgets({});
    const permit = await a.acquire(tenant);
    await permit.release({ rateLimited: { retryAfterMs: 1_500, limit: 'minute' } });
    const started = Date.now();
    await b.acquire(tenant);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_450);
    const other = Date.now();
    await b.acquire('unaffected');
    // Margins wide enough for a loaded machine: not waiting is well under the block.
    expect(Date.now() - other).toBeLessThan(1_000);
  });

  it('holds back when Xero reports fewer calls remaining than our own count implies', async () => {
    const tenant = 'shortfall';
    const [a, b] = budgets({ perMinute: 10, minuteWindowMs: 2_000 });
    const permit = await a.acquire(tenant);
    // We have used 1 of 10, but Xero says only 2 remain: someone else used 7.
    await permit.release({ headers: { 'x-minlimit-remaining': '2' } });
    const grants: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 3; i++) {
      await (await b.acquire(tenant)).release();
      grants.push(Date.now() - started);
    }
    expect(grants[0]).toBeLessThan(1_000);
    expect(grants[1]).toBeLessThan(1_000);
    expect(grants[2]).toBeGreaterThanOrEqual(1_500); // the third waits for the window to move
  });

  it('fails fast with RATE_LIMITED when the wait would exceed maxWaitMs (e.g. the day is used up)', async () => {
    const tenant = 'day';
    const [a] = budgets({ perDay: 1, maxWaitMs: 1_000 });
    await (await a.acquire(tenant)).release();
    await expect(a.acquire(tenant)).rejects.toMatchObject({ code: XeroErrorCode.RateLimited, retriable: true });
  });

  it('ships a TypeORM migration that creates the xero_budget schema idempotently', async () => {
    const dataSource = new DataSource({ type: 'postgres', url: database.url, migrations: [XeroBudgetSchema1767225600000], migrationsTableName: `migrations_${schema}` });
    await dataSource.initialize();
    try {
      const runner = dataSource.createQueryRunner();
      await new XeroBudgetSchema1767225600000().up(runner);
      await new XeroBudgetSchema1767225600000().up(runner);
      const { rows } = await poolA.query(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'xero_budget' ORDER BY table_name, column_name`,
      );
      const columns = rows.map((r) => `${r.table_name}.${r.column_name}`);
      expect(columns).toEqual(expect.arrayContaining(['call_permit.counted_at', 'call_permit.lease_expires_at', 'call_permit.tenant_id', 'tenant_state.blocked_until']));
      await runner.release();
    } finally {
      await dataSource.destroy();
    }
  });
});
