import { ServiceProcess } from '@ledgerline/testing';
import { accessTokenFingerprint as fingerprint } from '@ledgerline/xero-client';
import {
  call,
  CLIENT_ID,
  CLIENT_SECRET,
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
 * Xero refusing an access token that by our records is still valid, against the real sandbox, two
 * replicas of the service, Postgres and Kafka. A caller reports the refused token by its fingerprint
 * (?rejected=); the service refreshes once if that is still the stored token, ends the connection if
 * Xero refuses the refresh too, and otherwise hands out the current token.
 */

const CONCURRENT_REPORTS = 20;

let harness: Harness;
let first: ServiceProcess;
let second: ServiceProcess;
const tenants: Record<string, string> = {};

const tokenFrom = (service: ServiceProcess, companyId: string, rejected?: string) => internalAccessToken(harness, service, companyId, { rejected });

const connectionRow = async (companyId: string) =>
  (
    await harness.db.query(
      `SELECT "refresh_token", "refresh_token_issued_at", "refresh_count", "status", "status_reason"
       FROM "connections"."xero_connections" WHERE "company_id" = $1 AND "status" <> 'disconnected'`,
      [companyId],
    )
  ).rows[0];

/** The stored tokens were issued `seconds` ago (past the guard against refreshing a fresh token again). */
const issuedAgo = (companyId: string, seconds: number) =>
  harness.db.query(
    `UPDATE "connections"."xero_connections" SET "refresh_token_issued_at" = now() - make_interval(secs => $2) WHERE "company_id" = $1 AND "status" = 'connected'`,
    [companyId, seconds],
  );

/** RFC 7009 revocation at the sandbox: an access token ends alone; a refresh token ends its whole grant. */
async function revokeAtXero(token: string): Promise<void> {
  const response = await fetch(`${harness.sandbox.url}/connect/revocation`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}` },
    body: new URLSearchParams({ token }).toString(),
  });
  expect(response.status).toBe(200);
}

/** Connects `companyId` to a new organisation; returns the refresh tokens Xero issued for it. */
async function connect(companyId: string): Promise<string[]> {
  tenants[companyId] = await createOrganisation(harness, `${companyId} Ltd`);
  const before = new Set(harness.proxy.issuedTokens);
  const { callback } = await connectOverHttp(harness, first, jwtFor(harness, { sub: `${companyId}-admin`, companyId, role: 'practice_admin' }), [tenants[companyId]]);
  expect(callback.status).toBe(200);
  return [...harness.proxy.issuedTokens].filter((t) => !before.has(t) && /^[0-9a-f]{64}$/.test(t));
}

const expiredEvents = (companyId: string) => harness.probe.on(`${harness.prefix}xero.connection.expired`).filter((m) => m.key === companyId);

beforeAll(async () => {
  harness = await startHarness();
  first = await startConnections(harness);
  second = await startConnections(harness);
});

afterAll(async () => {
  await harness?.close();
});

describe('an access token Xero refuses while its grant is still valid', () => {
  let refused: string;

  beforeAll(async () => {
    await connect('beta');
  });

  it('is refreshed once on a report of its fingerprint, and the new token works', async () => {
    const before = await tokenFrom(first, 'beta');
    refused = before.body.accessToken;
    await issuedAgo('beta', 600);
    // Only this access token ends at Xero (the sandbox revokes access tokens one by one); the grant lives on.
    await revokeAtXero(refused);
    expect((await organisationWith(harness, refused, tenants['beta'])).status).toBe(401);
    // Without a report the service still hands it out: by its records it is valid for another half hour.
    expect((await tokenFrom(first, 'beta')).body.accessToken).toBe(refused);
    const refreshesBefore = await sandboxRefreshes(harness);
    const rowBefore = await connectionRow('beta');

    const answer = await tokenFrom(second, 'beta', fingerprint(refused));

    expect(answer.status).toBe(200);
    expect(answer.body.accessToken).not.toBe(refused);
    expect(answer.body.tenantId).toBe(tenants['beta']);
    expect(new Date(answer.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 25 * 60_000);
    expect((await organisationWith(harness, answer.body.accessToken, tenants['beta'])).status).toBe(200);
    expect((await sandboxRefreshes(harness)).rotated - refreshesBefore.rotated).toBe(1);
    const rowAfter = await connectionRow('beta');
    expect(rowAfter).toMatchObject({ status: 'connected', refresh_count: rowBefore.refresh_count + 1 });
    expect(rowAfter.refresh_token).not.toBe(rowBefore.refresh_token);
    // The other replica hands out the new token too.
    expect((await tokenFrom(first, 'beta')).body.accessToken).toBe(answer.body.accessToken);
    expect(second.output()).toContain(`Xero refused access token ${fingerprint(refused)} of company beta before its expiry; refreshing`);
  });

  it('does not refresh for a fingerprint that is not the current token (already replaced, or unknown)', async () => {
    const current = (await tokenFrom(first, 'beta')).body.accessToken;
    await issuedAgo('beta', 600);
    const refreshesBefore = await sandboxRefreshes(harness);
    const countBefore = (await connectionRow('beta')).refresh_count;

    const late = await tokenFrom(first, 'beta', fingerprint(refused));
    const unknown = await tokenFrom(second, 'beta', fingerprint('a token this service never issued'));

    expect([late.status, unknown.status]).toEqual([200, 200]);
    expect(late.body.accessToken).toBe(current);
    expect(unknown.body.accessToken).toBe(current);
    expect((await sandboxRefreshes(harness)).rotated).toBe(refreshesBefore.rotated);
    expect((await connectionRow('beta')).refresh_count).toBe(countBefore);
  });

  it(`answers ${CONCURRENT_REPORTS} concurrent reports on two replicas with one refresh and one new token`, async () => {
    const current = (await tokenFrom(first, 'beta')).body.accessToken;
    await issuedAgo('beta', 600);
    await revokeAtXero(current);
    const refreshesBefore = await sandboxRefreshes(harness);
    const countBefore = (await connectionRow('beta')).refresh_count;

    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT_REPORTS }, (_, i) => tokenFrom(i % 2 === 0 ? first : second, 'beta', fingerprint(current))),
    );
    const elapsedMs = Date.now() - started;

    const refreshesAfter = await sandboxRefreshes(harness);
    expect(refreshesAfter.rotated - refreshesBefore.rotated).toBe(1);
    expect(refreshesAfter.replayed - refreshesBefore.replayed).toBe(0);
    expect(answers.map((a) => a.status)).toEqual(Array(CONCURRENT_REPORTS).fill(200));
    const distinct = new Set(answers.map((a) => a.body.accessToken));
    expect(distinct.size).toBe(1);
    expect(distinct.has(current)).toBe(false);
    expect((await organisationWith(harness, answers[0].body.accessToken, tenants['beta'])).status).toBe(200);
    expect((await connectionRow('beta')).refresh_count).toBe(countBefore + 1);
    process.stdout.write(`${CONCURRENT_REPORTS} concurrent rejected reports: ${refreshesAfter.rotated - refreshesBefore.rotated} refresh at Xero, ${elapsedMs} ms\n`);
  });

  it('refreshes a token issued less than 30 s ago at most once per window, however often it is reported', async () => {
    // The previous test just refreshed: the stored token is seconds old.
    const current = (await tokenFrom(first, 'beta')).body.accessToken;
    await revokeAtXero(current);
    const refreshesBefore = await sandboxRefreshes(harness);
    const countBefore = (await connectionRow('beta')).refresh_count;

    const inWindow = await Promise.all([tokenFrom(first, 'beta', fingerprint(current)), tokenFrom(second, 'beta', fingerprint(current)), tokenFrom(first, 'beta', fingerprint(current))]);

    expect(inWindow.map((a) => [a.status, a.body.accessToken])).toEqual(Array(3).fill([200, current]));
    expect((await sandboxRefreshes(harness)).rotated).toBe(refreshesBefore.rotated);
    expect((await connectionRow('beta')).refresh_count).toBe(countBefore);
    expect(first.output() + second.output()).toContain(`Xero refused access token ${fingerprint(current)} of company beta, issued less than 30 s ago; not refreshing again yet`);

    // Once the token is 31 s old, the next report refreshes.
    await issuedAgo('beta', 31);
    const after = await tokenFrom(second, 'beta', fingerprint(current));
    expect(after.status).toBe(200);
    expect(after.body.accessToken).not.toBe(current);
    expect((await organisationWith(harness, after.body.accessToken, tenants['beta'])).status).toBe(200);
    expect((await sandboxRefreshes(harness)).rotated - refreshesBefore.rotated).toBe(1);
  });

  it('refuses a malformed report with 400 VALIDATION_FAILED and refreshes nothing', async () => {
    const refreshesBefore = await sandboxRefreshes(harness);
    const answers = await Promise.all([tokenFrom(first, 'beta', 'not-a-fingerprint'), tokenFrom(second, 'beta', `${'A'.repeat(43)}%3D`)]);
    for (const answer of answers) expect(answer).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect((await sandboxRefreshes(harness)).rotated).toBe(refreshesBefore.rotated);
  });
});

describe('an access token Xero refuses because the grant is gone', () => {
  it('marks the connection expired, publishes xero.connection.expired once, and answers 409 CONNECTION_EXPIRED', async () => {
    const refreshTokens = await connect('gamma');
    expect(refreshTokens).toHaveLength(1);
    const issued = await tokenFrom(first, 'gamma');
    await issuedAgo('gamma', 600);
    // The user disconnects the app from their Xero account: the grant, its refresh and access tokens end.
    await revokeAtXero(refreshTokens[0]);
    expect((await organisationWith(harness, issued.body.accessToken, tenants['gamma'])).status).toBe(401);
    const refreshesBefore = await sandboxRefreshes(harness);

    const answers = await Promise.all([
      tokenFrom(first, 'gamma', fingerprint(issued.body.accessToken)),
      tokenFrom(second, 'gamma', fingerprint(issued.body.accessToken)),
      tokenFrom(first, 'gamma', fingerprint(issued.body.accessToken)),
    ]);

    expect(answers.map((a) => [a.status, a.body.code])).toEqual(Array(3).fill([409, 'CONNECTION_EXPIRED']));
    const topic = `${harness.prefix}xero.connection.expired`;
    const event = await harness.probe.waitFor('xero.connection.expired for gamma', (m) => m.topic === topic && m.key === 'gamma');
    expect(event.json()).toMatchObject({ type: 'xero.connection.expired', companyId: 'gamma', payload: { tenantId: tenants['gamma'], reason: 'invalid_grant' } });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(expiredEvents('gamma')).toHaveLength(1);
    const outbox = await harness.db.query(`SELECT count(*)::int AS n FROM "connections"."outbox" WHERE "topic" = 'xero.connection.expired' AND "message_key" = 'gamma'`);
    expect(outbox.rows[0].n).toBe(1);
    expect(await connectionRow('gamma')).toMatchObject({ status: 'expired', status_reason: 'invalid_grant' });
    expect((await sandboxRefreshes(harness)).rotated).toBe(refreshesBefore.rotated);
    const status = await call(`${first.url}/v1/connections/xero`, { token: jwtFor(harness, { sub: 'gamma-admin', companyId: 'gamma', role: 'practice_admin' }) });
    expect(status.body).toMatchObject({ connected: false, status: 'expired', statusReason: 'invalid_grant' });
    // Later reports and plain requests get the same answer, with no new event.
    expect(await tokenFrom(second, 'gamma', fingerprint(issued.body.accessToken))).toMatchObject({ status: 409, body: { code: 'CONNECTION_EXPIRED' } });
    expect(await tokenFrom(second, 'gamma')).toMatchObject({ status: 409, body: { code: 'CONNECTION_EXPIRED' } });
    expect(expiredEvents('gamma')).toHaveLength(1);
  });
});

describe('a sandbox that forgot every token (restarted, or POST /__sandbox/reset)', () => {
  it('ends a connection whose stored tokens Xero no longer knows, on the first report', async () => {
    await connect('delta');
    const issued = await tokenFrom(first, 'delta');
    await issuedAgo('delta', 600);
    expect((await call(`${harness.sandbox.url}/__sandbox/reset`, { method: 'POST' })).status).toBeLessThan(300);
    expect((await organisationWith(harness, issued.body.accessToken, tenants['delta'])).status).toBe(401);

    const answer = await tokenFrom(second, 'delta', fingerprint(issued.body.accessToken));

    expect(answer).toMatchObject({ status: 409, body: { code: 'CONNECTION_EXPIRED' } });
    const topic = `${harness.prefix}xero.connection.expired`;
    const event = await harness.probe.waitFor('xero.connection.expired for delta', (m) => m.topic === topic && m.key === 'delta');
    expect(event.json()).toMatchObject({ companyId: 'delta', payload: { reason: 'invalid_grant' } });
    expect((await connectionRow('delta')).status).toBe('expired');
  });
});

describe('secrets', () => {
  it('no process printed a token; the fingerprints are what identify them', async () => {
    const output = first.output() + second.output();
    const tokens = [...harness.proxy.issuedTokens];
    expect(tokens.length).toBeGreaterThanOrEqual(10);
    for (const token of tokens) expect(output.includes(token)).toBe(false);
    expect(output).toContain('"url":"/internal/v1/companies/beta/access-token?rejected=');
  });
});
