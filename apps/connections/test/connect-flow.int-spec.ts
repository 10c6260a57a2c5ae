import { ProbedMessage, ServiceProcess, eventually } from '@ledgerline/testing';
import { createHash, randomBytes } from 'node:crypto';
import {
  addXeroUser,
  approveAtXero,
  call,
  CLIENT_SECRET,
  connectOverHttp,
  createOrganisation,
  Harness,
  internalAccessToken,
  jwtFor,
  organisationWith,
  schemaDump,
  startConnections,
  startHarness,
} from './support/connections-harness';

jest.setTimeout(120_000);

/*
 * The connect flow, tenant choice, isolation between companies and roles, state checks, disconnect,
 * a connection revoked in Xero and one whose grant is gone, all against the real sandbox process,
 * Postgres and Kafka, with the connections service as its own process.
 */

let harness: Harness;
let service: ServiceProcess;
let acmeTenant: string;
let globexFirst: string;
let globexSecond: string;
/** Xero users of their own for the companies whose grants are revoked (a revocation removes all its user's connections). */
let acmeUser: string;
let globexUser: string;
const tokensSeen = new Set<string>();
const codesSeen = new Set<string>();

const adminA = () => jwtFor(harness, { sub: 'alice', companyId: 'acme', role: 'practice_admin' });
const adminB = () => jwtFor(harness, { sub: 'bob', companyId: 'globex', role: 'practice_admin' });
const root = () => jwtFor(harness, { sub: 'root', companyId: 'ledgerline', role: 'super_admin' });
const api = (path: string) => `${service.url}/v1/connections/xero${path}`;
const internalToken = (companyId: string, token?: string) => internalAccessToken(harness, service, companyId, { token });
const eventFor = (topic: string, companyId: string, predicate: (m: ProbedMessage) => boolean = () => true) =>
  harness.probe.waitFor(`${topic} for ${companyId}`, (m) => m.topic === `${harness.prefix}${topic}` && m.key === companyId && predicate(m));

beforeAll(async () => {
  harness = await startHarness();
  [acmeTenant, globexFirst, globexSecond] = await Promise.all([
    createOrganisation(harness, 'Acme Plumbing Ltd'),
    createOrganisation(harness, 'Globex Holdings'),
    createOrganisation(harness, 'Globex Trading'),
  ]);
  acmeUser = await addXeroUser(harness, 'alice@acme.test');
  globexUser = await addXeroUser(harness, 'bob@globex.test');
  service = await startConnections(harness);
});

afterAll(async () => {
  await harness?.close();
});

describe('connecting Xero over HTTP', () => {
  it('connects company acme to its one organisation and announces it', async () => {
    const { callback, callbackUrl, authorizeUrl } = await connectOverHttp(harness, service, adminA(), [acmeTenant], { xeroUserId: acmeUser });
    codesSeen.add(new URL(callbackUrl).searchParams.get('code') ?? '');

    const authorize = new URL(authorizeUrl);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('scope')).toContain('offline_access');
    expect(authorize.searchParams.get('redirect_uri')).toBe(harness.redirectUri);

    expect(callback.status).toBe(200);
    expect(callback.body).toMatchObject({ companyId: 'acme', connected: true, status: 'connected', tenantId: acmeTenant, organisationName: 'Acme Plumbing Ltd', connectedBy: 'alice' });

    const status = await call(api(''), { token: adminA() });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ connected: true, tenantId: acmeTenant, organisationName: 'Acme Plumbing Ltd', connectedBy: 'alice' });
    const health = status.body['tokenHealth'] as Record<string, unknown>;
    expect(new Date(String(health['accessTokenExpiresAt'])).getTime()).toBeGreaterThan(Date.now() + 25 * 60_000);
    expect(health).toMatchObject({ accessTokenExpired: false, refreshTokenAgeDays: 0, refreshTokenDaysLeft: 60, lastRefreshedAt: null });
    expect(JSON.stringify(status.body)).not.toMatch(/accessToken"|refreshToken"/);

    const event = await eventFor('xero.connection.connected', 'acme');
    expect(event.json()).toMatchObject({ type: 'xero.connection.connected', companyId: 'acme', payload: { tenantId: acmeTenant, organisationName: 'Acme Plumbing Ltd', connectedBy: 'alice', connectionId: callback.body['connectionId'] } });

    const issued = await internalToken('acme');
    expect(issued.status).toBe(200);
    expect(issued.body.tenantId).toBe(acmeTenant);
    tokensSeen.add(issued.body.accessToken);
    const organisation = await organisationWith(harness, issued.body.accessToken, acmeTenant);
    expect(organisation.status).toBe(200);
    expect(organisation.body.Organisations?.[0]?.Name).toBe('Acme Plumbing Ltd');
  });

  it('lets company globex grant two organisations and choose one; the other is disconnected at Xero', async () => {
    const { callback } = await connectOverHttp(harness, service, adminB(), [globexFirst, globexSecond], { xeroUserId: globexUser });
    expect(callback.status).toBe(200);
    expect(callback.body).toMatchObject({ companyId: 'globex', connected: false, status: 'pending_tenant', tenantId: null });
    expect(callback.body['tenantsToChooseFrom']).toEqual(
      expect.arrayContaining([
        { tenantId: globexFirst, organisationName: 'Globex Holdings' },
        { tenantId: globexSecond, organisationName: 'Globex Trading' },
      ]),
    );
    expect((await internalToken('globex')).body).toMatchObject({ code: 'CONNECTION_NOT_FOUND' });

    const tenants = await call<{ tenantId: string }[]>(api('/tenants'), { token: adminB() });
    expect(tenants.status).toBe(200);
    expect(tenants.body.map((t) => t.tenantId).sort()).toEqual([globexFirst, globexSecond].sort());

    const notGranted = await call(api('/tenant'), { method: 'POST', token: adminB(), body: { tenantId: acmeTenant } });
    expect(notGranted).toMatchObject({ status: 400, body: { code: 'TENANT_NOT_GRANTED' } });
    const malformed = await call(api('/tenant'), { method: 'POST', token: adminB(), body: { tenantId: 'not-a-guid' } });
    expect(malformed).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', message: 'tenantId must be a Xero tenant id (a GUID)' } });

    const chosen = await call(api('/tenant'), { method: 'POST', token: adminB(), body: { tenantId: globexSecond } });
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({ connected: true, status: 'connected', tenantId: globexSecond, organisationName: 'Globex Trading', organisationsRemoved: 1 });
    expect((await call(api('/tenants'), { token: adminB() })).body).toMatchObject({ code: 'TENANT_CHOICE_NOT_PENDING' });

    const event = await eventFor('xero.connection.connected', 'globex');
    expect(event.json()).toMatchObject({ payload: { tenantId: globexSecond, organisationName: 'Globex Trading', connectedBy: 'bob' } });

    const issued = await internalToken('globex');
    expect(issued.status).toBe(200);
    expect(issued.body.tenantId).toBe(globexSecond);
    tokensSeen.add(issued.body.accessToken);
    expect((await organisationWith(harness, issued.body.accessToken, globexSecond)).status).toBe(200);
    // The unchosen organisation is no longer connected at Xero: its API refuses the token.
    expect((await organisationWith(harness, issued.body.accessToken, globexFirst)).status).toBe(403);
    const atXero = await call<{ tenantId: string }[]>(`${harness.sandbox.url}/connections`, { token: issued.body.accessToken });
    expect(atXero.body.map((c) => c.tenantId)).not.toContain(globexFirst);
    expect(atXero.body.map((c) => c.tenantId)).toContain(globexSecond);
  });

  it('keeps each company to its own connection: 404 for another company, 403 for roles without connection settings', async () => {
    const acmeStatus = await call(api(''), { token: adminA() });
    expect(acmeStatus.body).toMatchObject({ companyId: 'acme', tenantId: acmeTenant });

    for (const [method, path] of [
      ['GET', ''],
      ['GET', '/tenants'],
      ['POST', '/authorize'],
      ['DELETE', ''],
    ] as const) {
      const foreign = await call(api(`${path}?companyId=globex`), { method, token: adminA() });
      expect({ method, path, status: foreign.status, code: foreign.body['code'] }).toEqual({ method, path, status: 404, code: 'NOT_FOUND' });
      for (const role of ['accountant', 'client'] as const) {
        const refused = await call(api(path), { method, token: jwtFor(harness, { sub: `${role}-1`, companyId: 'acme', role }) });
        expect({ role, method, path, status: refused.status, code: refused.body['code'] }).toEqual({ role, method, path, status: 403, code: 'FORBIDDEN' });
      }
      expect((await call(api(path), { method })).status).toBe(401);
    }
    // Globex's connection is untouched by acme's attempts.
    expect((await call(api(''), { token: adminB() })).body).toMatchObject({ connected: true, tenantId: globexSecond });
    // A super admin may look at any company.
    expect((await call(api('?companyId=globex'), { token: root() })).body).toMatchObject({ companyId: 'globex', tenantId: globexSecond });
    // The internal endpoint wants the internal token.
    expect((await internalToken('acme', 'not-the-internal-token')).status).toBe(401);
    expect((await call(`${service.url}/internal/v1/companies/acme/access-token`, { token: adminA() })).status).toBe(401);
    expect((await internalToken('nobody')).body).toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
    expect((await internalToken('nobody')).status).toBe(404);
  });

  it('refuses to start a second connection while connected', async () => {
    const again = await call(api('/authorize'), { method: 'POST', token: adminA() });
    expect(again).toMatchObject({ status: 409, body: { code: 'CONNECTION_ALREADY_ACTIVE' } });
  });
});

describe('the state parameter', () => {
  const startFor = async (token: string) => {
    const started = await call<{ authorizeUrl: string }>(api('/authorize'), { method: 'POST', token });
    expect(started.status).toBe(201);
    return started.body.authorizeUrl;
  };
  const callbackWith = (callbackUrl: string, token: string) => call(callbackUrl.replace(/^http:\/\/127\.0\.0\.1:\d+/, service.url), { token });
  const initech = () => jwtFor(harness, { sub: 'ines', companyId: 'initech', role: 'practice_admin' });
  let initechTenant: string;

  beforeAll(async () => {
    initechTenant = await createOrganisation(harness, 'Initech');
  });

  it('refuses a forged state', async () => {
    const callbackUrl = await approveAtXero(await startFor(initech()), [initechTenant]);
    const forged = new URL(callbackUrl);
    forged.searchParams.set('state', randomBytes(32).toString('base64url'));
    expect(await callbackWith(forged.toString(), initech())).toMatchObject({ status: 400, body: { code: 'OAUTH_STATE_INVALID' } });
    const garbage = new URL(callbackUrl);
    garbage.searchParams.set('state', "x' OR 1=1 --");
    expect(await callbackWith(garbage.toString(), initech())).toMatchObject({ status: 400, body: { code: 'OAUTH_STATE_INVALID' } });
    const missing = new URL(callbackUrl);
    missing.searchParams.delete('state');
    expect(await callbackWith(missing.toString(), initech())).toMatchObject({ status: 400, body: { code: 'OAUTH_STATE_INVALID' } });
  });

  it('refuses a replayed state, and a state returned by another user', async () => {
    const callbackUrl = await approveAtXero(await startFor(initech()), [initechTenant]);
    codesSeen.add(new URL(callbackUrl).searchParams.get('code') ?? '');
    const stranger = jwtFor(harness, { sub: 'mallory', companyId: 'initech', role: 'practice_admin' });
    expect(await callbackWith(callbackUrl, stranger)).toMatchObject({ status: 400, body: { code: 'OAUTH_STATE_MISMATCH' } });
    // The mismatch used the state up: not even its owner can complete it now.
    expect(await callbackWith(callbackUrl, initech())).toMatchObject({ status: 400, body: { code: 'OAUTH_STATE_REPLAYED' } });

    const second = await approveAtXero(await startFor(initech()), [initechTenant]);
    codesSeen.add(new URL(second).searchParams.get('code') ?? '');
    const first = await callbackWith(second, initech());
    expect(first).toMatchObject({ status: 200, body: { companyId: 'initech', status: 'connected', tenantId: initechTenant } });
    expect(await callbackWith(second, initech())).toMatchObject({ status: 400, body: { code: 'OAUTH_STATE_REPLAYED' } });
  });

  it('refuses an expired state', async () => {
    const hooli = jwtFor(harness, { sub: 'hank', companyId: 'hooli', role: 'practice_admin' });
    const authorizeUrl = await startFor(hooli);
    const state = new URL(authorizeUrl).searchParams.get('state') ?? '';
    const stored = await harness.db.query(`SELECT "state_hash", "company_id", "user_id", "code_verifier" FROM "connections"."oauth_states" WHERE "state_hash" = $1`, [
      createHash('sha256').update(state).digest('hex'),
    ]);
    expect(stored.rows).toEqual([expect.objectContaining({ company_id: 'hooli', user_id: 'hank', code_verifier: expect.stringMatching(/^v1:k1:/) })]);
    // Eleven minutes later (the state lives ten).
    await harness.db.query(`UPDATE "connections"."oauth_states" SET "expires_at" = now() - interval '1 minute', "created_at" = now() - interval '11 minutes' WHERE "state_hash" = $1`, [
      stored.rows[0].state_hash,
    ]);
    const callbackUrl = await approveAtXero(authorizeUrl, [initechTenant]);
    expect(await callbackWith(callbackUrl, hooli)).toMatchObject({ status: 400, body: { code: 'OAUTH_STATE_EXPIRED' } });
    expect((await call(api(''), { token: hooli })).body).toMatchObject({ connected: false, status: 'not_connected' });
  });

  it('reports a declined consent and uses up its state', async () => {
    const umbrella = jwtFor(harness, { sub: 'uma', companyId: 'umbrella', role: 'practice_admin' });
    const callbackUrl = await approveAtXero(await startFor(umbrella), 'deny');
    expect(await callbackWith(callbackUrl, umbrella)).toMatchObject({ status: 400, body: { code: 'OAUTH_AUTHORIZATION_DENIED' } });
    expect(await callbackWith(callbackUrl, umbrella)).toMatchObject({ status: 400, body: { code: 'OAUTH_STATE_REPLAYED' } });
  });
});

describe('connections ending', () => {
  it('disconnects acme at Xero and locally, and announces it', async () => {
    const before = await internalToken('acme');
    expect(before.status).toBe(200);
    const disconnected = await call(api(''), { method: 'DELETE', token: adminA() });
    expect(disconnected.status).toBe(200);
    expect(disconnected.body).toMatchObject({ companyId: 'acme', connected: false, status: 'disconnected', disconnectedBy: 'alice', xero: { organisationsRemoved: 1, grantRevoked: true } });

    const event = await eventFor('xero.connection.disconnected', 'acme');
    expect(event.json()).toMatchObject({ payload: { tenantId: acmeTenant, disconnectedBy: 'alice' } });
    // Xero has forgotten the grant: the last access token no longer works.
    expect((await organisationWith(harness, before.body.accessToken, acmeTenant)).status).toBe(401);
    expect(await internalToken('acme')).toMatchObject({ status: 404, body: { code: 'CONNECTION_NOT_FOUND' } });
    expect((await call(api(''), { token: adminA() })).body).toMatchObject({ connected: false, status: 'disconnected', disconnectedBy: 'alice' });
    expect((await call(api(''), { method: 'DELETE', token: adminA() })).body).toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
    // Globex is still connected.
    expect((await internalToken('globex')).status).toBe(200);
  });

  it('marks a connection whose organisation was disconnected in Xero as revoked at its next refresh, and announces it', async () => {
    const issued = await internalToken('initech');
    expect(issued.status).toBe(200);
    const atXero = await call<{ id: string; tenantId: string }[]>(`${harness.sandbox.url}/connections`, { token: issued.body.accessToken });
    const initechConnection = atXero.body.find((c) => c.tenantId === issued.body.tenantId);
    // A Xero user removes the app from the organisation.
    expect((await call(`${harness.sandbox.url}/connections/${initechConnection?.id}`, { method: 'DELETE', token: issued.body.accessToken })).status).toBe(204);
    await harness.db.query(`UPDATE "connections"."xero_connections" SET "access_token_expires_at" = now() - interval '1 minute' WHERE "company_id" = 'initech' AND "status" = 'connected'`);

    expect(await internalToken('initech')).toMatchObject({ status: 409, body: { code: 'CONNECTION_REVOKED' } });
    const event = await eventFor('xero.connection.expired', 'initech');
    expect(event.json()).toMatchObject({ payload: { tenantId: issued.body.tenantId, reason: 'revoked' } });
    const status = await call(api(''), { token: jwtFor(harness, { sub: 'ines', companyId: 'initech', role: 'practice_admin' }) });
    expect(status.body).toMatchObject({ connected: false, status: 'revoked', statusReason: 'revoked' });
  });

  it('marks a connection expired when Xero refuses its refresh token for good, and announces it in the outbox', async () => {
    // Revoke globex's grant at Xero, as a user would by disconnecting the app from their account.
    const refreshTokens = [...harness.proxy.issuedTokens].filter((t) => /^[0-9a-f]{64}$/.test(t));
    for (const token of refreshTokens) {
      await fetch(`${harness.sandbox.url}/connect/revocation`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`ledgerline-dev:${CLIENT_SECRET}`).toString('base64')}` },
        body: new URLSearchParams({ token }).toString(),
      });
    }
    await harness.db.query(`UPDATE "connections"."xero_connections" SET "access_token_expires_at" = now() - interval '1 minute' WHERE "company_id" = 'globex' AND "status" = 'connected'`);

    expect(await internalToken('globex')).toMatchObject({ status: 409, body: { code: 'CONNECTION_EXPIRED' } });
    const event = await eventFor('xero.connection.expired', 'globex');
    expect(event.json()).toMatchObject({ type: 'xero.connection.expired', companyId: 'globex', payload: { tenantId: globexSecond, reason: 'invalid_grant' } });
    const outbox = await harness.db.query(`SELECT count(*)::int AS n FROM "connections"."outbox" WHERE "topic" = 'xero.connection.expired' AND "message_key" = 'globex'`);
    expect(outbox.rows[0].n).toBe(1);
    expect((await call(api(''), { token: adminB() })).body).toMatchObject({ connected: false, status: 'expired', tokenHealth: { refreshTokenDaysLeft: 0 } });
    // A second request neither refreshes again nor announces again.
    expect(await internalToken('globex')).toMatchObject({ status: 409, body: { code: 'CONNECTION_EXPIRED' } });
    // An expired connection can be connected again.
    const again = await connectOverHttp(harness, service, adminB(), [globexSecond], { xeroUserId: globexUser });
    expect(again.callback).toMatchObject({ status: 200, body: { status: 'connected', tenantId: globexSecond } });
  });
});

describe('secrets at rest and in logs', () => {
  it('stores no token in plain text, only vault ciphertexts', async () => {
    const dump = await schemaDump(harness.db);
    const issued = [...harness.proxy.issuedTokens, ...tokensSeen];
    expect(issued.length).toBeGreaterThanOrEqual(10);
    for (const token of issued) expect(dump.includes(token)).toBe(false);
    const sealed = await harness.db.query(`SELECT "access_token", "refresh_token" FROM "connections"."xero_connections" WHERE "refresh_token" IS NOT NULL`);
    expect(sealed.rows.length).toBeGreaterThan(0);
    for (const row of sealed.rows) {
      expect(row.access_token).toMatch(/^v1:k1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
      expect(row.refresh_token).toMatch(/^v1:k1:/);
    }
  });

  it('rotates the encryption key: a restart with a new active key rewrites every ciphertext, and tokens still open', async () => {
    await service.stop();
    service = await startConnections(harness, { TOKEN_ENCRYPTION_KEYS: `k1:${harness.secrets.k1},k2:${harness.secrets.k2}`, TOKEN_ENCRYPTION_ACTIVE_KEY: 'k2' });
    await eventually('every ciphertext to use k2', async () => {
      const rows = await harness.db.query(
        `SELECT count(*)::int AS n FROM "connections"."xero_connections" WHERE left("access_token", 6) = 'v1:k1:' OR left("refresh_token", 6) = 'v1:k1:'`,
      );
      return rows.rows[0].n === 0;
    });
    const issued = await internalToken('globex');
    expect(issued.status).toBe(200);
    expect((await organisationWith(harness, issued.body.accessToken, globexSecond)).status).toBe(200);
    // The rewritten refresh token opens too: disconnecting revokes the grant with it.
    const disconnected = await call(api(''), { method: 'DELETE', token: adminB() });
    expect(disconnected.body).toMatchObject({ status: 'disconnected', xero: { grantRevoked: true } });
  });

  it('never writes a token, code or secret to its logs', () => {
    const logs = harness.services.map((s) => s.output()).join('\n');
    expect(logs).toContain('company acme connected Xero');
    const secrets = [
      ...harness.proxy.issuedTokens,
      ...tokensSeen,
      ...codesSeen,
      ...harness.issuedJwts,
      CLIENT_SECRET,
      harness.secrets.k1,
      harness.secrets.k2,
      harness.secrets.internalToken,
      harness.secrets.jwtSecret,
    ].filter((s) => s.length > 0);
    const leaked = secrets.filter((secret) => logs.includes(secret));
    expect(leaked).toEqual([]);
  });
});
