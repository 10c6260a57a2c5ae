import { Sandbox } from '../src/sandbox';
import { call, DEV_CLIENT, startSandbox } from './support/sandbox-harness';

// Each file starts its own sandbox (and services); on a loaded machine that outlasts Jest's 5 s default.
jest.setTimeout(60_000);

/*
 * Xero users in the sandbox, over HTTP: a connection belongs to the app, the user and the organisation;
 * revoking a refresh token removes that user's connections to the app (not other users'); an
 * organisation that disconnects the app in Xero ends every user's connection to it.
 */

const basic = `Basic ${Buffer.from(`${DEV_CLIENT.clientId}:${DEV_CLIENT.clientSecret}`).toString('base64')}`;

describe('several Xero users', () => {
  let sandbox: Sandbox;
  let shared: string;
  let other: string;
  let second: string;

  const tokensAs = async (userId: string | undefined, tenantIds: string[]) => {
    const answer = await call(sandbox, 'POST', userId ? `/__sandbox/users/${userId}/tokens` : '/__sandbox/tokens', { body: { tenantIds } });
    expect(answer.status).toBe(200);
    return { accessToken: answer.body['access_token'] as string, refreshToken: answer.body['refresh_token'] as string };
  };
  const connectionsOf = async (accessToken: string) => {
    const answer = await call(sandbox, 'GET', '/connections', { headers: { authorization: `Bearer ${accessToken}` } });
    return { status: answer.status, list: (answer.status === 200 ? answer.body : []) as unknown as { id: string; tenantId: string; authEventId: string }[] };
  };
  const contactsStatus = async (accessToken: string, tenantId: string) =>
    (await call(sandbox, 'GET', '/api.xro/2.0/Contacts', { headers: { authorization: `Bearer ${accessToken}`, 'xero-tenant-id': tenantId } })).status;
  const revoke = async (token: string) => {
    const response = await fetch(`${sandbox.url}/connect/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
    shared = (await call(sandbox, 'POST', '/__sandbox/organisations', { body: { name: 'Shared Books' } })).body['tenantId'] as string;
    other = (await call(sandbox, 'POST', '/__sandbox/organisations', { body: { name: 'Other Books' } })).body['tenantId'] as string;
    const created = await call(sandbox, 'POST', '/__sandbox/users', { body: { email: 'second.bookkeeper@ledgerline.test' } });
    expect(created.status).toBe(201);
    second = created.body['id'] as string;
  });

  afterAll(() => sandbox.close());

  it('lists the default user and the added one; refuses a bad or duplicate user', async () => {
    const users = (await call(sandbox, 'GET', '/__sandbox/users')).body as unknown as { id: string; email: string }[];
    expect(users.map((u) => u.email)).toEqual(['sandbox.user@ledgerline.test', 'second.bookkeeper@ledgerline.test']);
    expect((await call(sandbox, 'POST', '/__sandbox/users', { body: { userId: 'not-a-guid' } })).status).toBe(400);
    expect((await call(sandbox, 'POST', '/__sandbox/users', { body: { userId: second } })).status).toBe(400);
    expect((await call(sandbox, 'POST', '/__sandbox/users/6a1e0c3e-0000-4000-8000-000000000000/tokens', { body: { tenantIds: [shared] } })).status).toBe(400);
  });

  it('gives each user their own connection to one organisation, and the tokens carry the user', async () => {
    const first = await tokensAs(undefined, [shared]);
    const theirs = await tokensAs(second, [shared]);
    const [mine] = (await connectionsOf(first.accessToken)).list;
    const [yours] = (await connectionsOf(theirs.accessToken)).list;
    expect(mine.tenantId).toBe(shared);
    expect(yours.tenantId).toBe(shared);
    expect(mine.id).not.toBe(yours.id);
    const claims = JSON.parse(Buffer.from(theirs.accessToken.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims['xero_userid']).toBe(second);
    const userinfo = await call(sandbox, 'GET', '/connect/userinfo', { headers: { authorization: `Bearer ${theirs.accessToken}` } });
    expect(userinfo.body).toMatchObject({ sub: second, email: 'second.bookkeeper@ledgerline.test' });
    const all = (await call(sandbox, 'GET', `/__sandbox/connections?clientId=${DEV_CLIENT.clientId}`)).body as unknown as { userId: string; tenantId: string }[];
    expect(all.filter((c) => c.tenantId === shared).map((c) => c.userId).sort()).toEqual(['5d8a3c4e-1b2f-4a6d-9e7c-0f1a2b3c4d5e', second].sort());
  });

  it("the same user's second consent takes over their connection (same id, new authEventId); the first grant still reaches it", async () => {
    const earlier = await tokensAs(undefined, [shared]);
    const [before] = (await connectionsOf(earlier.accessToken)).list;
    const later = await tokensAs(undefined, [shared]);
    const [after] = (await connectionsOf(later.accessToken)).list;
    expect(after.id).toBe(before.id);
    expect(after.authEventId).not.toBe(before.authEventId);
    expect(await contactsStatus(earlier.accessToken, shared)).toBe(200);
  });

  it("revoking one of a user's refresh tokens removes every connection of that user to the app, and only theirs", async () => {
    const mineA = await tokensAs(undefined, [shared]);
    const mineB = await tokensAs(undefined, [other]);
    const theirs = await tokensAs(second, [shared]);

    await revoke(mineB.refreshToken);

    // The other grant of the same user still authenticates, but its organisations are gone.
    expect((await connectionsOf(mineA.accessToken)).list).toEqual([]);
    expect(await contactsStatus(mineA.accessToken, shared)).toBe(403);
    const refreshed = await fetch(`${sandbox.url}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: mineB.refreshToken }).toString(),
    });
    expect(await refreshed.json()).toEqual({ error: 'invalid_grant' });
    // The second user's connection to the same organisation is untouched.
    expect((await connectionsOf(theirs.accessToken)).list.map((c) => c.tenantId)).toEqual([shared]);
    expect(await contactsStatus(theirs.accessToken, shared)).toBe(200);
  });

  it('an organisation that disconnects the app in Xero ends every user\'s connection to it; tokens then get 403 for it', async () => {
    const mine = await tokensAs(undefined, [shared, other]);
    const theirs = await tokensAs(second, [shared]);
    expect(await contactsStatus(theirs.accessToken, shared)).toBe(200);

    const removed = await call(sandbox, 'DELETE', `/__sandbox/organisations/${shared}/connections?clientId=${DEV_CLIENT.clientId}`);

    expect(removed).toMatchObject({ status: 200, body: { removed: 2 } });
    const denied = await call(sandbox, 'GET', '/api.xro/2.0/Contacts', { headers: { authorization: `Bearer ${theirs.accessToken}`, 'xero-tenant-id': shared } });
    expect(denied).toMatchObject({ status: 403, body: { Title: 'Forbidden', Detail: 'AuthenticationUnsuccessful' } });
    expect((await connectionsOf(theirs.accessToken)).list).toEqual([]);
    expect((await connectionsOf(mine.accessToken)).list.map((c) => c.tenantId)).toEqual([other]);
    expect(await contactsStatus(mine.accessToken, other)).toBe(200);
    expect((await call(sandbox, 'DELETE', '/__sandbox/organisations/6a1e0c3e-0000-4000-8000-000000000000/connections')).status).toBe(404);
  });

  it('consents as a named user through the authorize URL (sandbox_user)', async () => {
    const url = new URL(`${sandbox.url}/identity/connect/authorize`);
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: DEV_CLIENT.clientId, redirect_uri: 'http://127.0.0.1:3001/cb', scope: 'openid offline_access accounting.contacts', state: 's', sandbox_auto_approve: other, sandbox_user: second })) url.searchParams.set(k, v);
    const consent = await fetch(url, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const tokens = await fetch(`${sandbox.url}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:3001/cb' }).toString(),
    });
    const body = (await tokens.json()) as { access_token: string };
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims['xero_userid']).toBe(second);
    expect((await connectionsOf(body.access_token)).list.map((c) => c.tenantId)).toEqual([other]);
  });
});
