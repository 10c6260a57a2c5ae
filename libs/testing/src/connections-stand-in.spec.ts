import { createHash } from 'node:crypto';
import { ConnectionsStandIn, IssuedToken } from './connections-stand-in';

const fingerprint = (token: string) => createHash('sha256').update(token, 'utf8').digest('base64url');
const token = (n: number): IssuedToken => ({ accessToken: `access-${n}`, tenantId: 'tenant-1', expiresAt: '2030-01-01T00:00:00.000Z' });

describe('ConnectionsStandIn', () => {
  let standIn: ConnectionsStandIn;

  beforeEach(async () => {
    standIn = new ConnectionsStandIn();
    await standIn.start();
  });
  afterEach(() => standIn.stop());

  const ask = async (companyId: string, rejected?: string, authorization = `Bearer ${standIn.internalToken}`) => {
    const query = rejected === undefined ? '' : `?rejected=${encodeURIComponent(rejected)}`;
    const response = await fetch(`${standIn.url}/internal/v1/companies/${companyId}/access-token${query}`, { headers: { authorization } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('asks the issuer on every request and records each request', async () => {
    let issued = 0;
    standIn.set('company-1', () => token(++issued));
    expect(await ask('company-1')).toEqual({ status: 200, body: token(1) });
    expect(await ask('company-1', fingerprint('access-1'))).toEqual({ status: 200, body: token(2) });
    expect(standIn.requests).toEqual([{ companyId: 'company-1' }, { companyId: 'company-1', rejected: fingerprint('access-1') }]);
  });

  it('answers 401 without the internal token, 404 for an unknown company, 400 for a malformed report, 503 when the issuer fails', async () => {
    standIn.set('failing', () => Promise.reject(new Error('sandbox down')));
    expect(await ask('company-1', undefined, 'Bearer wrong')).toEqual({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(await ask('unknown')).toEqual({ status: 404, body: { code: 'CONNECTION_NOT_FOUND' } });
    expect(await ask('unknown', 'not-a-fingerprint')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(await ask('failing')).toEqual({ status: 503, body: { code: 'XERO_UNAVAILABLE' } });
  });

  it('connected: refreshes once for any number of reports of the current token, never for an older one', async () => {
    let minted = 1;
    const connection = standIn.connect('company-1', { token: token(1), refresh: () => token(++minted) });
    expect(await ask('company-1')).toEqual({ status: 200, body: token(1) });

    const answers = await Promise.all(Array.from({ length: 5 }, () => ask('company-1', fingerprint('access-1'))));
    expect(answers.map((a) => a.body)).toEqual(Array(5).fill(token(2)));
    expect(connection.refreshes).toBe(1);
    expect(connection.current).toEqual(token(2));

    expect((await ask('company-1', fingerprint('access-1'))).body).toEqual(token(2));
    expect((await ask('company-1', fingerprint('access-2'))).body).toEqual(token(3));
    expect(connection.refreshes).toBe(2);
  });

  it('expired: the current token until it is reported, then 409 CONNECTION_EXPIRED for every request', async () => {
    const connection = standIn.connect('company-1', { token: token(1), refresh: () => token(2) });
    connection.expire();
    expect(await ask('company-1')).toEqual({ status: 200, body: token(1) });
    expect(await ask('company-1', fingerprint('old-token'))).toEqual({ status: 200, body: token(1) });
    expect(await ask('company-1', fingerprint('access-1'))).toEqual({ status: 409, body: { code: 'CONNECTION_EXPIRED' } });
    expect(await ask('company-1')).toEqual({ status: 409, body: { code: 'CONNECTION_EXPIRED' } });
    expect(connection.refreshes).toBe(0);
  });

  it('answers 503 when the refresh fails, and refreshes on the next report', async () => {
    let fail = true;
    const connection = standIn.connect('company-1', {
      token: token(1),
      refresh: () => (fail ? Promise.reject(new Error('Xero down')) : token(2)),
    });
    expect(await ask('company-1', fingerprint('access-1'))).toEqual({ status: 503, body: { code: 'XERO_UNAVAILABLE' } });
    fail = false;
    expect(await ask('company-1', fingerprint('access-1'))).toEqual({ status: 200, body: token(2) });
    expect(connection.refreshes).toBe(1);
  });
});
