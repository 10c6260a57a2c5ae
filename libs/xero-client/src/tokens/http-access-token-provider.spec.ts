import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { XeroClientException } from '../errors/xero-client.exception';
import { XeroErrorCode } from '../errors/xero-error-code';
import { HttpAccessTokenProvider } from './http-access-token-provider';
import { accessTokenFingerprint } from './token-fingerprint';

describe('HttpAccessTokenProvider', () => {
  let server: Server;
  let provider: HttpAccessTokenProvider;
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  const seen: Array<{ url?: string; authorization?: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    provider = new HttpAccessTokenProvider({
      connectionsInternalUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      internalApiToken: 'internal-secret',
      timeoutMs: 200,
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const reply = (status: number, body: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  async function failure(): Promise<XeroClientException> {
    const error = await provider.getAccessToken('company/1').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(XeroClientException);
    return error as XeroClientException;
  }

  it('fetches the token with the internal bearer token', async () => {
    handler = reply(200, { accessToken: 'xero-access', tenantId: 'tenant-1', expiresAt: '2030-01-01T00:00:00.000Z' });
    const token = await provider.getAccessToken('company/1');
    expect(token).toEqual({ accessToken: 'xero-access', tenantId: 'tenant-1', expiresAt: new Date('2030-01-01T00:00:00.000Z') });
    expect(seen.at(-1)).toEqual({ url: '/internal/v1/companies/company%2F1/access-token', authorization: 'Bearer internal-secret' });
  });

  it('reports a rejected token by its fingerprint in ?rejected=, never by value', async () => {
    handler = reply(200, { accessToken: 'xero-access-2', tenantId: 'tenant-1', expiresAt: '2030-01-01T00:00:00.000Z' });
    const rejected = 'eyJhbGciOiJSUzI1NiJ9.rejected+token/with=odd&chars';
    const token = await provider.getAccessToken('company/1', { rejected });
    expect(token.accessToken).toBe('xero-access-2');
    const fingerprint = accessTokenFingerprint(rejected);
    expect(seen.at(-1)?.url).toBe(`/internal/v1/companies/company%2F1/access-token?rejected=${fingerprint}`);
    expect(seen.at(-1)?.url).not.toMatch(/eyJhbGci|rejected(\+|%2B)token/);
  });

  it('reports a token whose organisation Xero refused in ?refusedTenant=, by fingerprint, and maps CONNECTION_REVOKED to NOT_CONNECTED', async () => {
    handler = reply(409, { code: 'CONNECTION_REVOKED', message: 'The Xero organisation was disconnected in Xero' });
    const refused = 'eyJhbGciOiJSUzI1NiJ9.refused.token';
    const error = await provider.getAccessToken('company/1', { refusedTenant: refused }).then(() => undefined, (e: unknown) => e);
    expect(seen.at(-1)?.url).toBe(`/internal/v1/companies/company%2F1/access-token?refusedTenant=${accessTokenFingerprint(refused)}`);
    expect(error).toMatchObject({ code: XeroErrorCode.NotConnected, status: 409, reason: 'CONNECTION_REVOKED' });
    expect(JSON.stringify(error)).not.toContain(refused);
  });

  it('maps a 409 CONNECTION_EXPIRED after a rejection report to NOT_CONNECTED', async () => {
    handler = reply(409, { code: 'CONNECTION_EXPIRED', message: 'The Xero connection has expired' });
    const error = await provider.getAccessToken('company/1', { rejected: 'revoked-token' }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: XeroErrorCode.NotConnected, retriable: false, reason: 'CONNECTION_EXPIRED' });
    expect(JSON.stringify(error)).not.toContain('revoked-token');
  });

  it.each([
    [404, { code: 'CONNECTION_NOT_FOUND' }, 'CONNECTION_NOT_FOUND'],
    [409, { code: 'CONNECTION_EXPIRED' }, 'CONNECTION_EXPIRED'],
    [409, { code: 'CONNECTION_REVOKED' }, 'CONNECTION_REVOKED'],
  ])('maps %s to NOT_CONNECTED (%s)', async (status, body, reason) => {
    handler = reply(status, body);
    expect(await failure()).toMatchObject({ code: XeroErrorCode.NotConnected, retriable: false, reason });
  });

  it('maps a 5xx to a retriable UPSTREAM and a slow answer to TIMEOUT', async () => {
    handler = reply(503, {});
    expect(await failure()).toMatchObject({ code: XeroErrorCode.Upstream, retriable: true, status: 503 });
    handler = (_req, res) => setTimeout(() => reply(200, {})(_req, res), 500);
    expect(await failure()).toMatchObject({ code: XeroErrorCode.Timeout, retriable: true });
  });

  it('never echoes a token from a malformed body or the internal token into errors', async () => {
    handler = reply(200, { accessToken: 'leaky-token', tenantId: '' });
    const error = await failure();
    expect(error.code).toBe(XeroErrorCode.Upstream);
    expect(JSON.stringify(error)).not.toMatch(/leaky-token|internal-secret/);
    expect(error.message).not.toMatch(/leaky-token|internal-secret/);
  });
});
