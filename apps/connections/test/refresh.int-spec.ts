import { ServiceProcess, eventually } from '@ledgerline/testing';
import {
  advanceSandboxClock,
  call,
  connectOverHttp,
  createOrganisation,
  Harness,
  internalAccessToken,
  jwtFor,
  organisationWith,
  sandboxRefreshes,
  startConnections,
  startHarness,
} from './support/connections-harness';

jest.setTimeout(120_000);

/*
 * Token refresh across two replicas of the connections service (two processes, one database) against
 * the real sandbox: one refresh for many concurrent requests, recovery of a lost refresh answer inside
 * Xero's grace, the keep-alive job, and a refresh token Xero no longer accepts.
 */

const CONCURRENT_REQUESTS = 20;

let harness: Harness;
let first: ServiceProcess;
let second: ServiceProcess;
let tenantId: string;

const tokenFrom = (service: ServiceProcess, companyId = 'acme') => internalAccessToken(harness, service, companyId);
const connectionRow = async () =>
  (
    await harness.db.query(
      `SELECT "refresh_token", "access_token_expires_at", "refresh_token_issued_at", "last_refreshed_at", "refresh_count", "status"
       FROM "connections"."xero_connections" WHERE "company_id" = 'acme' AND "status" <> 'disconnected'`,
    )
  ).rows[0];
/** Xero's clock moves past the access token's life, and the stored expiry says so too. */
const expireAccessToken = async () => {
  await advanceSandboxClock(harness, { minutes: 31 });
  await harness.db.query(`UPDATE "connections"."xero_connections" SET "access_token_expires_at" = now() - interval '1 minute' WHERE "company_id" = 'acme' AND "status" = 'connected'`);
};

beforeAll(async () => {
  harness = await startHarness();
  tenantId = await createOrganisation(harness, 'Acme Plumbing Ltd');
  const keepAlive = { KEEP_ALIVE_INTERVAL_MS: '300', KEEP_ALIVE_AFTER_DAYS: '7' };
  first = await startConnections(harness, keepAlive);
  second = await startConnections(harness, keepAlive);
  const { callback } = await connectOverHttp(harness, first, jwtFor(harness, { sub: 'alice', companyId: 'acme', role: 'practice_admin' }), [tenantId]);
  expect(callback.status).toBe(200);
});

afterAll(async () => {
  await harness?.close();
});

it(`answers ${CONCURRENT_REQUESTS} concurrent requests on two replicas for an expired access token with exactly one refresh`, async () => {
  const before = await tokenFrom(first);
  await expireAccessToken();
  expect((await organisationWith(harness, before.body.accessToken, tenantId)).status).toBe(401);
  const refreshesBefore = await sandboxRefreshes(harness);
  const rowBefore = await connectionRow();

  const answers = await Promise.all(Array.from({ length: CONCURRENT_REQUESTS }, (_, i) => tokenFrom(i % 2 === 0 ? first : second)));

  const refreshesAfter = await sandboxRefreshes(harness);
  expect(refreshesAfter.rotated - refreshesBefore.rotated).toBe(1);
  expect(refreshesAfter.replayed - refreshesBefore.replayed).toBe(0);
  expect(answers.map((a) => a.status)).toEqual(Array(CONCURRENT_REQUESTS).fill(200));
  const distinct = new Set(answers.map((a) => a.body.accessToken));
  expect(distinct.size).toBe(1);
  expect(distinct.has(before.body.accessToken)).toBe(false);
  for (const answer of answers) {
    expect(answer.body.tenantId).toBe(tenantId);
    expect(new Date(answer.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 25 * 60_000);
    const organisation = await organisationWith(harness, answer.body.accessToken, tenantId);
    expect(organisation.status).toBe(200);
  }
  const rowAfter = await connectionRow();
  expect(rowAfter.refresh_count).toBe(rowBefore.refresh_count + 1);
  expect(rowAfter.refresh_token).not.toBe(rowBefore.refresh_token);
  // Both replicas answered from their own process.
  for (const service of [first, second]) expect(service.output()).toContain('"url":"/internal/v1/companies/acme/access-token"');
});

it('recovers a refresh whose answer was lost after Xero rotated the token, inside its grace period', async () => {
  await expireAccessToken();
  const before = await sandboxRefreshes(harness);
  harness.proxy.loseNextAnswers(1);

  const answer = await tokenFrom(second);

  expect(answer.status).toBe(200);
  const after = await sandboxRefreshes(harness);
  // Xero rotated once; the retry with the same refresh token got the same new pair back.
  expect(after.rotated - before.rotated).toBe(1);
  expect(after.replayed - before.replayed).toBe(1);
  expect(harness.proxy.forwarded.slice(-2)).toEqual([
    { grantType: 'refresh_token', status: 200, dropped: true },
    { grantType: 'refresh_token', status: 200, dropped: false },
  ]);
  expect((await organisationWith(harness, answer.body.accessToken, tenantId)).status).toBe(200);

  // The stored refresh token is the rotated one: the next refresh works without the grace.
  await advanceSandboxClock(harness, { minutes: 31 });
  await harness.db.query(`UPDATE "connections"."xero_connections" SET "access_token_expires_at" = now() - interval '1 minute' WHERE "company_id" = 'acme' AND "status" = 'connected'`);
  const next = await tokenFrom(first);
  expect(next.status).toBe(200);
  expect((await organisationWith(harness, next.body.accessToken, tenantId)).status).toBe(200);
  expect((await sandboxRefreshes(harness)).rotated - after.rotated).toBe(1);
});

it('keeps an idle connection alive: a refresh token older than the threshold is refreshed once by the job', async () => {
  await harness.db.query(
    `UPDATE "connections"."xero_connections" SET "refresh_token_issued_at" = now() - interval '8 days' WHERE "company_id" = 'acme' AND "status" = 'connected'`,
  );
  const before = await sandboxRefreshes(harness);
  const countBefore = (await connectionRow()).refresh_count;

  const row = await eventually('the keep-alive job to refresh the connection', async () => {
    const current = await connectionRow();
    return Date.now() - new Date(current.refresh_token_issued_at).getTime() < 60_000 ? current : undefined;
  });
  // Several passes of both replicas' jobs have run by now; still one refresh.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(row.refresh_count).toBe(countBefore + 1);
  expect((await connectionRow()).refresh_count).toBe(countBefore + 1);
  expect((await sandboxRefreshes(harness)).rotated - before.rotated).toBe(1);
  const status = await call(`${first.url}/v1/connections/xero`, { token: jwtFor(harness, { sub: 'alice', companyId: 'acme', role: 'practice_admin' }) });
  expect(status.body).toMatchObject({ connected: true, tokenHealth: { refreshTokenAgeDays: 0, refreshTokenDaysLeft: 60 } });
});

it('marks the connection expired when its refresh token outlived 60 days at Xero, and publishes xero.connection.expired once', async () => {
  await advanceSandboxClock(harness, { days: 61 });
  await harness.db.query(`UPDATE "connections"."xero_connections" SET "access_token_expires_at" = now() - interval '1 minute' WHERE "company_id" = 'acme' AND "status" = 'connected'`);

  const answers = await Promise.all([tokenFrom(first), tokenFrom(second), tokenFrom(first), tokenFrom(second)]);
  expect(answers.map((a) => [a.status, a.body.code])).toEqual(Array(4).fill([409, 'CONNECTION_EXPIRED']));

  const topic = `${harness.prefix}xero.connection.expired`;
  const event = await harness.probe.waitFor('xero.connection.expired for acme', (m) => m.topic === topic && m.key === 'acme');
  expect(event.json()).toMatchObject({ type: 'xero.connection.expired', companyId: 'acme', payload: { tenantId, reason: 'invalid_grant' } });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(harness.probe.on(topic).filter((m) => m.key === 'acme')).toHaveLength(1);
  expect((await connectionRow()).status).toBe('expired');
});
