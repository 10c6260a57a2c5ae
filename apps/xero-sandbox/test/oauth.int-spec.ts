import { createHash, randomBytes } from 'node:crypto';
// openid-client 5 is what xero-node uses for discovery, callbacks and refresh (installed with xero-node).
import { Issuer, generators } from 'openid-client';
import { Sandbox } from '../src/sandbox';
import { call, DEV_CLIENT, startSandbox } from './support/sandbox-harness';

// Each file starts its own sandbox (and services); on a loaded machine that outlasts Jest's 5 s default.
jest.setTimeout(60_000);

const REDIRECT = 'http://127.0.0.1:3001/v1/connections/xero/callback';
const SCOPE = 'openid profile email offline_access accounting.transactions accounting.contacts';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function postForm(sandbox: Sandbox, path: string, fields: Record<string, string>, authorization?: string) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    body: form(fields),
    redirect: 'manual',
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

describe('OAuth 2.0 authorization code flow over HTTP', () => {
  let sandbox: Sandbox;
  let tenantId: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    tenantId = (await call(sandbox, 'POST', '/__sandbox/organisations', { body: { name: 'Harbour Electrical' } })).body['tenantId'] as string;
    await call(sandbox, 'POST', '/__sandbox/organisations', { body: { name: 'Second Org' } });
  });

  afterAll(() => sandbox.close());

  it('confidential client: consent page, code, token with Basic auth, refresh with rotation and grace, expiry, revocation', async () => {
    const state = randomBytes(8).toString('hex');
    const authorizeQuery = form({ response_type: 'code', client_id: DEV_CLIENT.clientId, redirect_uri: REDIRECT, scope: SCOPE, state });
    const page = await fetch(`${sandbox.url}/identity/connect/authorize?${authorizeQuery}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Harbour Electrical');
    expect(html).toContain('Second Org');

    // Submit the consent form as a browser would: hidden fields + the chosen organisation.
    const consent = await fetch(`${sandbox.url}/identity/connect/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `${authorizeQuery}&tenant=${tenantId}&decision=allow`,
      redirect: 'manual',
    });
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('code')!;

    const wrongSecret = await postForm(sandbox, '/connect/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, basic(DEV_CLIENT.clientId, 'nope'));
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toEqual({ error: 'invalid_client' });

    const tokens = await postForm(sandbox, '/connect/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, basic(DEV_CLIENT.clientId, DEV_CLIENT.clientSecret));
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', expires_in: 1800, scope: SCOPE });
    expect(tokens.body.access_token.split('.')).toHaveLength(3);
    expect(typeof tokens.body.refresh_token).toBe('string');
    expect(typeof tokens.body.id_token).toBe('string');

    const replayedCode = await postForm(sandbox, '/connect/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, basic(DEV_CLIENT.clientId, DEV_CLIENT.clientSecret));
    expect(replayedCode.body).toEqual({ error: 'invalid_grant' });

    const connections = await call(sandbox, 'GET', '/connections', { headers: { authorization: `Bearer ${tokens.body.access_token}` } });
    expect(connections.status).toBe(200);
    expect(connections.body).toEqual([
      { id: expect.any(String), authEventId: expect.any(String), tenantId, tenantType: 'ORGANISATION', tenantName: 'Harbour Electrical', createdDateUtc: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$/), updatedDateUtc: expect.any(String) },
    ]);

    // Refresh with client_secret in the body this time.
    const refreshed = await postForm(sandbox, '/connect/token', { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: DEV_CLIENT.clientId, client_secret: DEV_CLIENT.clientSecret });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.body.refresh_token);
    expect(refreshed.body.access_token).not.toBe(tokens.body.access_token);

    // A lost response: the old refresh token inside the grace period returns the very same new pair.
    await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { minutes: 29 } });
    const retried = await postForm(sandbox, '/connect/token', { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }, basic(DEV_CLIENT.clientId, DEV_CLIENT.clientSecret));
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(refreshed.body);

    // After the grace period the rotated token is dead; access tokens from before have expired (30 min).
    await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { minutes: 2 } });
    const late = await postForm(sandbox, '/connect/token', { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }, basic(DEV_CLIENT.clientId, DEV_CLIENT.clientSecret));
    expect(late.status).toBe(400);
    expect(late.body).toEqual({ error: 'invalid_grant' });
    const expired = await call(sandbox, 'GET', '/api.xro/2.0/Contacts', { headers: { authorization: `Bearer ${refreshed.body.access_token}`, 'xero-tenant-id': tenantId } });
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ Title: 'Unauthorized', Status: 401, Detail: expect.stringMatching(/^TokenExpired/) });

    const current = await postForm(sandbox, '/connect/token', { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token }, basic(DEV_CLIENT.clientId, DEV_CLIENT.clientSecret));
    expect(current.status).toBe(200);
    const ok = await call(sandbox, 'GET', '/api.xro/2.0/Contacts', { headers: { authorization: `Bearer ${current.body.access_token}`, 'xero-tenant-id': tenantId } });
    expect(ok.status).toBe(200);

    const counters = await call(sandbox, 'GET', '/__sandbox/counters');
    expect(counters.body['tokenRefreshes']).toMatchObject({ total: 3, byClient: { [DEV_CLIENT.clientId]: { rotated: 2, replayed: 1 } } });

    // Revocation (RFC 7009): 200, then the grant, its access tokens and its connections are gone.
    const revoked = await postForm(sandbox, '/connect/revocation', { token: current.body.refresh_token }, basic(DEV_CLIENT.clientId, DEV_CLIENT.clientSecret));
    expect(revoked.status).toBe(200);
    const afterRevoke = await postForm(sandbox, '/connect/token', { grant_type: 'refresh_token', refresh_token: current.body.refresh_token }, basic(DEV_CLIENT.clientId, DEV_CLIENT.clientSecret));
    expect(afterRevoke.body).toEqual({ error: 'invalid_grant' });
    const denied = await call(sandbox, 'GET', '/api.xro/2.0/Contacts', { headers: { authorization: `Bearer ${current.body.access_token}`, 'xero-tenant-id': tenantId } });
    expect(denied.status).toBe(401);
    expect(denied.body).toMatchObject({ Title: 'Unauthorized', Detail: 'AuthenticationUnsuccessful' });
    const unknown = await postForm(sandbox, '/connect/revocation', { token: 'never-issued' }, basic(DEV_CLIENT.clientId, DEV_CLIENT.clientSecret));
    expect(unknown.status).toBe(200);
  });

  it('refresh tokens die after 60 days unused', async () => {
    const tokens = await call(sandbox, 'POST', '/__sandbox/tokens', { body: { tenantIds: [tenantId] } });
    await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { days: 60, minutes: 1 } });
    const stale = await postForm(sandbox, '/connect/token', { grant_type: 'refresh_token', refresh_token: tokens.body['refresh_token'] as string }, basic(DEV_CLIENT.clientId, DEV_CLIENT.clientSecret));
    expect(stale.body).toEqual({ error: 'invalid_grant' });
  });

  it('public client with PKCE S256: auto-approve, no secret, verifier checked, refresh with client_id only', async () => {
    await call(sandbox, 'POST', '/__sandbox/clients', { body: { clientId: 'pkce-app', redirectUris: ['http://localhost:5173/callback'] } });
    const verifier = randomBytes(48).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const noChallenge = await fetch(`${sandbox.url}/identity/connect/authorize?${form({ response_type: 'code', client_id: 'pkce-app', redirect_uri: 'http://localhost:5173/callback', scope: SCOPE, sandbox_auto_approve: 'all' })}`, { redirect: 'manual' });
    expect(new URL(noChallenge.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');

    const authorize = async () => {
      const response = await fetch(
        `${sandbox.url}/identity/connect/authorize?${form({ response_type: 'code', client_id: 'pkce-app', redirect_uri: 'http://localhost:5173/callback', scope: SCOPE, state: 's1', code_challenge: challenge, code_challenge_method: 'S256', sandbox_auto_approve: tenantId })}`,
        { redirect: 'manual' },
      );
      expect(response.status).toBe(302);
      return new URL(response.headers.get('location')!).searchParams.get('code')!;
    };
    const badVerifier = await postForm(sandbox, '/connect/token', { grant_type: 'authorization_code', code: await authorize(), redirect_uri: 'http://localhost:5173/callback', client_id: 'pkce-app', code_verifier: randomBytes(48).toString('base64url') });
    expect(badVerifier.status).toBe(400);
    expect(badVerifier.body.error).toBe('invalid_grant');

    const tokens = await postForm(sandbox, '/connect/token', { grant_type: 'authorization_code', code: await authorize(), redirect_uri: 'http://localhost:5173/callback', client_id: 'pkce-app', code_verifier: verifier });
    expect(tokens.status).toBe(200);
    const refreshed = await postForm(sandbox, '/connect/token', { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: 'pkce-app' });
    expect(refreshed.status).toBe(200);
    const contacts = await call(sandbox, 'GET', '/api.xro/2.0/Contacts', { headers: { authorization: `Bearer ${refreshed.body.access_token}`, 'Xero-Tenant-Id': tenantId.toUpperCase() } });
    expect(contacts.status).toBe(200);
  });

  it('rejects an unregistered redirect URI without redirecting, and a tenant the token was not granted with 403', async () => {
    const page = await fetch(`${sandbox.url}/identity/connect/authorize?${form({ response_type: 'code', client_id: DEV_CLIENT.clientId, redirect_uri: 'https://evil.test/cb', scope: SCOPE })}`, { redirect: 'manual' });
    expect(page.status).toBe(400);
    const other = (await call(sandbox, 'POST', '/__sandbox/organisations', { body: { name: 'Not Granted' } })).body['tenantId'] as string;
    const tokens = await call(sandbox, 'POST', '/__sandbox/tokens', { body: { tenantIds: [tenantId] } });
    const forbidden = await call(sandbox, 'GET', '/api.xro/2.0/Invoices', { headers: { authorization: `Bearer ${tokens.body['access_token']}`, 'xero-tenant-id': other } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' });
    const missing = await call(sandbox, 'GET', '/api.xro/2.0/Invoices', {});
    expect(missing.status).toBe(401);

    // Disconnecting the organisation (DELETE /connections/{id}) takes the tenant away from the token.
    const auth = { authorization: `Bearer ${tokens.body['access_token']}` };
    const [connection] = (await call(sandbox, 'GET', '/connections', { headers: auth })).body as unknown as { id: string }[];
    expect((await call(sandbox, 'DELETE', `/connections/${connection.id}`, { headers: auth })).status).toBe(204);
    expect((await call(sandbox, 'GET', '/connections', { headers: auth })).body).toEqual([]);
    const disconnected = await call(sandbox, 'GET', '/api.xro/2.0/Invoices', { headers: { ...auth, 'xero-tenant-id': tenantId } });
    expect(disconnected.status).toBe(403);
    expect((await call(sandbox, 'DELETE', `/connections/${connection.id}`, { headers: auth })).status).toBe(404);
  });

  it('is discoverable by openid-client, which validates the id_token against the JWKS and refreshes', async () => {
    const issuer = await Issuer.discover(sandbox.url);
    expect(issuer.metadata.token_endpoint).toBe(`${sandbox.url}/connect/token`);
    const client = new issuer.Client({ client_id: DEV_CLIENT.clientId, client_secret: DEV_CLIENT.clientSecret, redirect_uris: [REDIRECT], response_types: ['code'] });
    const verifier = generators.codeVerifier();
    const nonce = generators.nonce();
    const url = client.authorizationUrl({ scope: SCOPE, state: 'st', nonce, code_challenge: generators.codeChallenge(verifier), code_challenge_method: 'S256' });
    const redirect = await fetch(`${url}&sandbox_auto_approve=${tenantId}`, { redirect: 'manual' });
    const params = client.callbackParams(redirect.headers.get('location')!);
    const tokenSet = await client.callback(REDIRECT, params, { state: 'st', nonce, code_verifier: verifier });
    expect(tokenSet.claims()).toMatchObject({ iss: sandbox.url, aud: DEV_CLIENT.clientId, email: 'sandbox.user@ledgerline.test' });
    const refreshed = await client.refresh(tokenSet.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokenSet.access_token);
    await client.revoke(refreshed.refresh_token!, 'refresh_token');
    await expect(client.refresh(refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
