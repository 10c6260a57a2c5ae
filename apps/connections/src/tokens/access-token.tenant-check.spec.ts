import { Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectionsConfig } from '../config/connections.config';
import { XeroConnection } from '../connections/entities/xero-connection.entity';
import { XeroConnectionRepository } from '../connections/xero-connection.repository';
import { XeroIdentityClient, XeroTenantConnection } from '../oauth/xero-identity.client';
import { TokenVault } from '../vault/token-vault.service';
import { AccessTokenService, ORGANISATION_DISCONNECTED_DETAIL, TENANT_CHECK_MIN_INTERVAL_MS } from './access-token.service';
import { TokenErrorCode } from './token.exception';

/*
 * The check of Xero's connections list after Xero refused a connection's organisation, with every
 * dependency faked (the row lock, the vault, Xero's identity API, the outbox). The whole path against the
 * sandbox is in test/shared-organisation.int-spec.ts.
 */

const TENANT = 'aaaaaaaa-0000-4000-8000-000000000001';
const REPORTED = 'A'.repeat(43);

function connectedRow(overrides: Partial<XeroConnection> = {}): XeroConnection {
  return Object.assign(new XeroConnection(), {
    id: 'c0000000-0000-4000-8000-000000000001',
    companyId: 'acme',
    status: 'connected',
    tenantId: TENANT,
    accessToken: 'sealed-access',
    refreshToken: 'sealed-refresh',
    accessTokenExpiresAt: new Date(Date.now() + 20 * 60_000),
    refreshTokenIssuedAt: new Date(Date.now() - 60 * 60_000),
    tenantCheckedAt: null,
    ...overrides,
  } satisfies Partial<XeroConnection>);
}

/** An AccessTokenService over one connection row, recording what it did. */
function build(row: XeroConnection, listed: () => Promise<XeroTenantConnection[]>) {
  const updates: Partial<XeroConnection>[] = [];
  const published: { topic: string; key: string; payload: unknown }[] = [];
  const tx = { getRepository: () => ({ update: async (_where: unknown, values: Partial<XeroConnection>) => void updates.push(values) }) };
  const listConnections = jest.fn(listed);
  const service = new AccessTokenService(
    { transaction: async (work: (manager: unknown) => Promise<unknown>) => work(tx) } as unknown as DataSource,
    { findCurrent: async () => row } as unknown as XeroConnectionRepository,
    { open: (sealed: string) => `opened:${sealed}` } as unknown as TokenVault,
    { listConnections } as unknown as XeroIdentityClient,
    { publish: async (_tx: unknown, topic: string, key: string, payload: unknown) => void published.push({ topic, key, payload }), flush: () => undefined } as unknown as EventPublisher,
    Object.assign(new ConnectionsConfig(), { TOKEN_REFRESH_AHEAD_SECONDS: 300, REFRESH_TOKEN_LIFETIME_DAYS: 60 }),
  );
  return { service, updates, published, listConnections };
}

const listing = (tenantId: string): XeroTenantConnection[] => [{ id: 'x-1', tenantId, tenantType: 'ORGANISATION', tenantName: 'Acme' }];

describe('AccessTokenService: a refused organisation', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('revokes the connection and announces it when Xero no longer lists the organisation', async () => {
    const { service, updates, published, listConnections } = build(connectedRow(), async () => listing('bbbbbbbb-0000-4000-8000-000000000002'));

    await expect(service.accessTokenFor('acme', { refusedTenant: REPORTED })).rejects.toMatchObject({ code: TokenErrorCode.Revoked });

    expect(listConnections).toHaveBeenCalledWith('opened:sealed-access');
    expect(updates).toEqual([expect.objectContaining({ tenantCheckedAt: expect.any(Date) }), expect.objectContaining({ status: 'revoked', statusReason: 'revoked', statusChangedAt: expect.any(Date) })]);
    expect(published).toEqual([
      { topic: Topics.XeroConnectionExpired, key: 'acme', payload: { connectionId: 'c0000000-0000-4000-8000-000000000001', tenantId: TENANT, reason: 'revoked', detail: ORGANISATION_DISCONNECTED_DETAIL } },
    ]);
  });

  it('hands out the current token, and records the check, when the organisation is still listed', async () => {
    const { service, updates, published } = build(connectedRow(), async () => listing(TENANT));
    await expect(service.accessTokenFor('acme', { refusedTenant: REPORTED })).resolves.toMatchObject({ accessToken: 'opened:sealed-access', tenantId: TENANT });
    expect(updates).toEqual([{ tenantCheckedAt: expect.any(Date) }]);
    expect(published).toEqual([]);
  });

  it('shares one check between concurrent reports', async () => {
    let answer!: (value: XeroTenantConnection[]) => void;
    const { service, listConnections } = build(connectedRow(), () => new Promise((resolve) => (answer = resolve)));
    const reports = Array.from({ length: 5 }, () => service.accessTokenFor('acme', { refusedTenant: REPORTED }).catch((e: unknown) => e));
    await new Promise((resolve) => setImmediate(resolve));
    answer([]);
    const outcomes = await Promise.all(reports);
    expect(listConnections).toHaveBeenCalledTimes(1);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ code: TokenErrorCode.Revoked });
  });

  it(`does not ask Xero again within ${TENANT_CHECK_MIN_INTERVAL_MS / 1000} s of the last check`, async () => {
    const { service, listConnections, updates } = build(connectedRow({ tenantCheckedAt: new Date(Date.now() - TENANT_CHECK_MIN_INTERVAL_MS + 5_000) }), async () => []);
    await expect(service.accessTokenFor('acme', { refusedTenant: REPORTED })).resolves.toMatchObject({ accessToken: 'opened:sealed-access' });
    expect(listConnections).not.toHaveBeenCalled();
    expect(updates).toEqual([]);
  });

  it('keeps the connection when the list cannot be read (Xero unavailable): the caller keeps its own error', async () => {
    const { service, published } = build(connectedRow(), async () => Promise.reject(new Error('no answer')));
    await expect(service.accessTokenFor('acme', { refusedTenant: REPORTED })).resolves.toMatchObject({ accessToken: 'opened:sealed-access' });
    expect(published).toEqual([]);
  });

  it('answers a connection that is not connected without asking Xero', async () => {
    const { service, listConnections } = build(connectedRow({ status: 'revoked' }), async () => []);
    await expect(service.accessTokenFor('acme', { refusedTenant: REPORTED })).rejects.toMatchObject({ code: TokenErrorCode.Revoked });
    expect(listConnections).not.toHaveBeenCalled();
  });
});
