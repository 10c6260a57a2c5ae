import { connectThroughSandbox, SandboxIdentity, ServiceProcess } from '@ledgerline/testing';
import { budgetSchemaUpSql, createXeroClient, XeroClientException, XeroClientHandle, XeroClientService, XeroErrorCode } from '@ledgerline/xero-client';
import { Pool } from 'pg';
import { addXeroUser, call, createOrganisation, Harness, jwtFor, startConnections, startHarness } from './support/connections-harness';

jest.setTimeout(90_000);

/*
 * One Xero organisation in several Ledgerline companies, against the real sandbox, the connections
 * service as its own process, Postgres and Kafka; Xero calls go through libs/xero-client as the other
 * services make them. By default a second company is refused; a super admin can allow sharing; a
 * disconnect then never undoes at Xero what another company stands on; and an organisation that
 * disconnects the app in Xero is noticed on the first refused call.
 */

const BUDGET_SCHEMA = 'xero_budget';

let harness: Harness;
let service: ServiceProcess;
/** A second replica of the connections service. */
let replica: ServiceProcess;
let identity: SandboxIdentity;
let pool: Pool;
/** Two callers, as two replicas of a service that calls Xero would be: each has its own token cache, and each asks its own connections replica. */
let handles: XeroClientHandle[];
let xero: XeroClientService;

const admin = (companyId: string) => jwtFor(harness, { sub: `${companyId}-admin`, companyId, role: 'practice_admin' });
const root = () => jwtFor(harness, { sub: 'root', companyId: 'ledgerline', role: 'super_admin' });
const connect = (companyId: string, tenantId: string, xeroUserId: string) =>
  connectThroughSandbox({ connectionsUrl: service.url, jwt: admin(companyId), tenantIds: [tenantId], xeroUserId });
const disconnect = (companyId: string) => call<{ xero: Record<string, unknown> }>(`${service.url}/v1/connections/xero`, { method: 'DELETE', token: admin(companyId) });
const status = (companyId: string) => call(`${service.url}/v1/connections/xero`, { token: admin(companyId) });
const allowSharing = (tenantId: string, allowed = true, token = root()) =>
  call(`${service.url}/v1/connections/xero/organisations/${tenantId}/sharing`, { method: 'PUT', token, body: { allowed } });
/** The organisation's name as Xero serves it to the company, through the Xero client: proof that its calls work. */
const organisationName = async (companyId: string, client = xero) => (await client.getOrganisation(companyId)).name;
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

/**
 * A caller that has cached no token yet. A caller that has keeps using its cached access token until it
 * expires (Xero still accepts it: the Xero connection it reaches is kept for the other company).
 */
async function freshCaller<T>(use: (client: XeroClientService) => Promise<T>): Promise<T> {
  const handle = createXeroClient({
    config: { apiBaseUrl: harness.sandbox.url, connectionsInternalUrl: service.url, internalApiToken: harness.secrets.internalToken, budgetSchema: BUDGET_SCHEMA },
    pool,
  });
  try {
    return await use(handle.client);
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  harness = await startHarness();
  service = await startConnections(harness);
  replica = await startConnections(harness);
  identity = new SandboxIdentity(harness.sandbox.url);
  pool = new Pool({ connectionString: harness.database.url, max: 4 });
  for (const sql of budgetSchemaUpSql(BUDGET_SCHEMA)) await pool.query(sql);
  handles = [service, replica].map((connections) =>
    createXeroClient({
      config: {
        apiBaseUrl: harness.sandbox.url,
        connectionsInternalUrl: connections.url,
        internalApiToken: harness.secrets.internalToken,
        budgetSchema: BUDGET_SCHEMA,
        requestTimeoutMs: 5_000,
        retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
      },
      pool,
    }),
  );
  xero = handles[0].client;
});

afterAll(async () => {
  await Promise.all((handles ?? []).map((h) => h.close()));
  await pool?.end();
  await harness?.close();
});

describe('one organisation, two companies, the same Xero user (one bookkeeper for two business units)', () => {
  let tenantId: string;
  let bookkeeper: string;
  let northConnection: string;

  beforeAll(async () => {
    tenantId = await createOrganisation(harness, 'Kauri Group Ltd');
    bookkeeper = await addXeroUser(harness, 'bookkeeper@kauri.test');
    const north = await connect('north', tenantId, bookkeeper);
    expect(north).toMatchObject({ status: 200, body: { status: 'connected', tenantId } });
    northConnection = north.body['connectionId'] as string;
  });

  it("refuses the second company by default with a clear message naming the other company's connection only, and leaves the first working", async () => {
    const refused = await connect('south', tenantId, bookkeeper);

    expect(refused.status).toBe(409);
    expect(refused.body['code']).toBe('ORGANISATION_IN_USE');
    expect(refused.body['message']).toContain(`already connected to another Ledgerline company (connection ${northConnection})`);
    expect(refused.body['message']).toContain('unless a super admin allows sharing it');
    expect(refused.body['message']).not.toMatch(/north|Kauri/);
    expect((await status('south')).body).toMatchObject({ connected: false, status: 'not_connected' });
    // Refusing gave up the new consent at Xero without touching the connection it took over.
    expect(await organisationName('north')).toBe('Kauri Group Ltd');
    expect((await identity.connections()).filter((c) => c.tenantId === tenantId)).toHaveLength(1);
  });

  it('lets only a super admin allow sharing the organisation', async () => {
    expect(await allowSharing(tenantId, true, admin('south'))).toMatchObject({ status: 403 });
    expect(await call(`${service.url}/v1/connections/xero/organisations/not-a-guid/sharing`, { method: 'PUT', token: root(), body: { allowed: true } })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect(await allowSharing(tenantId, 'yes' as unknown as boolean)).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    const allowed = await allowSharing(tenantId);
    expect(allowed).toMatchObject({ status: 200, body: { tenantId, sharingAllowed: true, allowedBy: 'root', connections: 1 } });
  });

  it("with sharing allowed, the company that connected last disconnects: its tokens go, and the other's Xero calls keep working", async () => {
    expect(await connect('south', tenantId, bookkeeper)).toMatchObject({ status: 200, body: { status: 'connected', tenantId } });
    expect(await organisationName('south')).toBe('Kauri Group Ltd');

    const ended = await disconnect('south');

    expect(ended.status).toBe(200);
    expect(ended.body.xero).toMatchObject({ organisationsRemoved: 0, organisationsKept: 1, grantRevoked: false, tokensDeleted: true });
    expect(String(ended.body.xero['detail'])).toContain("This company's Xero tokens were deleted");
    expect(String(ended.body.xero['detail'])).toContain('At Xero, 1 organisation connection(s) and the grant were left in place: 1 other Ledgerline connection(s) still depend on them');
    expect(await organisationName('north')).toBe('Kauri Group Ltd');
    expect(await organisationName('north', handles[1].client)).toBe('Kauri Group Ltd');
    const gone = await freshCaller((client) => failureOf(client.getOrganisation('south')));
    expect(gone).toBeInstanceOf(XeroClientException);
    expect(gone).toMatchObject({ code: XeroErrorCode.NotConnected, reason: 'CONNECTION_NOT_FOUND' });
    const rows = await harness.db.query(`SELECT "access_token", "refresh_token" FROM "connections"."xero_connections" WHERE "company_id" = 'south'`);
    expect(rows.rows).toEqual([{ access_token: null, refresh_token: null }]);
  });

  it('and the company that connected first disconnects: the one that connected later keeps working', async () => {
    expect(await connect('south', tenantId, bookkeeper)).toMatchObject({ status: 200 });

    const ended = await disconnect('north');

    expect(ended.body.xero).toMatchObject({ organisationsRemoved: 0, organisationsKept: 1, grantRevoked: false, tokensDeleted: true });
    expect(await organisationName('south')).toBe('Kauri Group Ltd');
    expect(await organisationName('south', handles[1].client)).toBe('Kauri Group Ltd');
    expect(await freshCaller((client) => failureOf(client.getOrganisation('north')))).toMatchObject({ code: XeroErrorCode.NotConnected });
    // The last company standing on it disconnects: now Xero's side is undone too.
    const last = await disconnect('south');
    expect(last.body.xero).toMatchObject({ organisationsRemoved: 1, organisationsKept: 0, grantRevoked: true });
    expect((await identity.connections()).filter((c) => c.tenantId === tenantId)).toEqual([]);
  });
});

describe('an organisation in use among several granted at once', () => {
  it('cannot be chosen, and choosing another leaves its Xero connection to the company that uses it', async () => {
    const [inUse, free] = await Promise.all([createOrganisation(harness, 'Harakeke Farms'), createOrganisation(harness, 'Harakeke Orchards')]);
    const user = await addXeroUser(harness, 'accounts@harakeke.test');
    expect(await connect('harakeke-farms', inUse, user)).toMatchObject({ status: 200 });
    const pending = await connectThroughSandbox({ connectionsUrl: service.url, jwt: admin('harakeke-orchards'), tenantIds: [inUse, free], xeroUserId: user });
    expect(pending).toMatchObject({ status: 200, body: { status: 'pending_tenant' } });
    const choose = (tenantId: string) => call(`${service.url}/v1/connections/xero/tenant`, { method: 'POST', token: admin('harakeke-orchards'), body: { tenantId } });

    expect(await choose(inUse)).toMatchObject({ status: 409, body: { code: 'ORGANISATION_IN_USE' } });
    const chosen = await choose(free);

    // The unchosen organisation's Xero connection is the other company's too (same user): it stays.
    expect(chosen).toMatchObject({ status: 200, body: { status: 'connected', tenantId: free, organisationsRemoved: 0 } });
    expect(await organisationName('harakeke-farms')).toBe('Harakeke Farms');
    expect(await organisationName('harakeke-orchards')).toBe('Harakeke Orchards');
  });
});

describe('one organisation, two companies, different Xero users', () => {
  it('refuses by default; once shared, each has its own Xero connection and one disconnecting leaves the other alone', async () => {
    const tenantId = await createOrganisation(harness, 'Rimu Partners');
    const [first, second] = await Promise.all([addXeroUser(harness, 'first@rimu.test'), addXeroUser(harness, 'second@rimu.test')]);
    expect(await connect('rimu-east', tenantId, first)).toMatchObject({ status: 200 });
    expect(await connect('rimu-west', tenantId, second)).toMatchObject({ status: 409, body: { code: 'ORGANISATION_IN_USE' } });
    // The refused user's consent was the only thing standing on their grant: it is gone at Xero.
    expect((await identity.connections()).filter((c) => c.tenantId === tenantId).map((c) => c.userId)).toEqual([first]);

    expect(await allowSharing(tenantId)).toMatchObject({ status: 200 });
    expect(await connect('rimu-west', tenantId, second)).toMatchObject({ status: 200 });
    const atXero = (await identity.connections()).filter((c) => c.tenantId === tenantId);
    expect(atXero.map((c) => c.userId).sort()).toEqual([first, second].sort());
    expect(await organisationName('rimu-east')).toBe('Rimu Partners');
    expect(await organisationName('rimu-west')).toBe('Rimu Partners');

    const ended = await disconnect('rimu-east');

    // Nothing else stands on the first user's connection and grant: both are undone at Xero.
    expect(ended.body.xero).toMatchObject({ organisationsRemoved: 1, organisationsKept: 0, grantRevoked: true, tokensDeleted: true });
    expect((await identity.connections()).filter((c) => c.tenantId === tenantId).map((c) => c.userId)).toEqual([second]);
    expect(await organisationName('rimu-west')).toBe('Rimu Partners');
    expect(await organisationName('rimu-west', handles[1].client)).toBe('Rimu Partners');
  });
});

describe('an organisation that disconnects the app in Xero', () => {
  const topic = () => `${harness.prefix}xero.connection.expired`;
  /** Checks of Xero's connections list with that outcome, summed over both replicas. */
  const tenantChecks = async (outcome: string) => {
    let total = 0;
    for (const replicaProcess of [service, replica]) {
      const metrics = await fetch(`${replicaProcess.url}/metrics`).then((r) => r.text());
      const line = metrics.split('\n').find((l) => l.startsWith(`ledgerline_connections_tenant_checks_total{outcome="${outcome}"}`));
      total += line ? Number(line.split(' ').at(-1)) : 0;
    }
    return total;
  };

  it('turns the connection revoked within one failed call, once however many calls fail, publishes the event, and reconnecting makes calls work again', async () => {
    const tenantId = await createOrganisation(harness, 'Totara Clinic');
    const user = await addXeroUser(harness, 'admin@totara.test');
    expect(await connect('totara', tenantId, user)).toMatchObject({ status: 200 });
    expect(await organisationName('totara')).toBe('Totara Clinic');
    expect(await organisationName('totara', handles[1].client)).toBe('Totara Clinic');
    const checksBefore = await tenantChecks('gone');

    expect(await identity.disconnectApp(tenantId)).toBe(1);
    const started = Date.now();
    // Ten calls at once from each of two callers (on two connections replicas), all with tokens Xero still accepts but for an organisation it no longer connects.
    const failures = await Promise.all(handles.flatMap((h) => Array.from({ length: 10 }, () => failureOf(h.client.getOrganisation('totara')))));

    for (const failure of failures) {
      expect(failure).toBeInstanceOf(XeroClientException);
      expect(failure).toMatchObject({ code: XeroErrorCode.NotConnected, retriable: false, reason: 'CONNECTION_REVOKED' });
    }
    expect((await tenantChecks('gone')) - checksBefore).toBe(1);
    expect(await tenantChecks('connected')).toBe(0);
    const seen = await status('totara');
    expect(seen.body).toMatchObject({ connected: false, status: 'revoked', statusReason: 'revoked' });
    expect(String(seen.body['statusDetail'])).toContain('The organisation disconnected Ledgerline in Xero');
    expect(new Date(String(seen.body['statusChangedAt'])).getTime()).toBeGreaterThanOrEqual(started - 1_000);
    const event = await harness.probe.waitFor('xero.connection.expired for totara', (m) => m.topic === topic() && m.key === 'totara');
    expect(event.json()).toMatchObject({ type: 'xero.connection.expired', companyId: 'totara', payload: { tenantId, reason: 'revoked' } });
    expect(String((event.json() as { payload: { detail: string } }).payload.detail)).toContain('The organisation disconnected Ledgerline in Xero');
    const outbox = await harness.db.query(`SELECT count(*)::int AS n FROM "connections"."outbox" WHERE "topic" = 'xero.connection.expired' AND "message_key" = 'totara'`);
    expect(outbox.rows[0].n).toBe(1);
    // Later calls fail the same way without reaching Xero.
    expect(await failureOf(xero.getOrganisation('totara'))).toMatchObject({ code: XeroErrorCode.NotConnected, reason: 'CONNECTION_REVOKED' });

    expect(await connect('totara', tenantId, user)).toMatchObject({ status: 200, body: { status: 'connected', tenantId } });
    expect(await organisationName('totara')).toBe('Totara Clinic');
    expect(await organisationName('totara', handles[1].client)).toBe('Totara Clinic');
    expect(harness.probe.on(topic()).filter((m) => m.key === 'totara')).toHaveLength(1);
  });

  it("notices a connection cut off by another company's revoked grant of the same Xero user, the issue's original case", async () => {
    // Sharing an organisation through one user, where the other company's grant is revoked at Xero directly
    // (a Xero user disconnecting the app from their account): Xero removes all that user's connections.
    const tenantId = await createOrganisation(harness, 'Matai Builders');
    const user = await addXeroUser(harness, 'office@matai.test');
    expect(await allowSharing(tenantId)).toMatchObject({ status: 200 });
    const before = new Set(harness.proxy.issuedTokens);
    expect(await connect('matai-a', tenantId, user)).toMatchObject({ status: 200 });
    const refreshTokensOfA = [...harness.proxy.issuedTokens].filter((t) => !before.has(t) && /^[0-9a-f]{64}$/.test(t));
    expect(await connect('matai-b', tenantId, user)).toMatchObject({ status: 200 });
    expect(await organisationName('matai-b')).toBe('Matai Builders');

    for (const token of refreshTokensOfA) {
      const revoked = await fetch(`${harness.sandbox.url}/connect/revocation`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('ledgerline-dev:ledgerline-dev-secret').toString('base64')}` },
        body: new URLSearchParams({ token }).toString(),
      });
      expect(revoked.status).toBe(200);
    }

    expect(await failureOf(xero.getOrganisation('matai-b'))).toMatchObject({ code: XeroErrorCode.NotConnected, reason: 'CONNECTION_REVOKED' });
    expect((await status('matai-b')).body).toMatchObject({ status: 'revoked', statusReason: 'revoked' });
    await harness.probe.waitFor('xero.connection.expired for matai-b', (m) => m.topic === topic() && m.key === 'matai-b');
  });
});
