import { connectDecision, XeroFootprint, xeroCleanupPlan } from './organisation-sharing';

const ORG_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const ORG_B = 'bbbbbbbb-0000-4000-8000-000000000002';
const USER_1 = '11111111-0000-4000-8000-000000000001';
const USER_2 = '22222222-0000-4000-8000-000000000002';

/** A connection of `companyId` through `xeroUserId` to organisations given as [tenantId, xeroConnectionId]. */
const footprint = (connectionId: string, companyId: string, xeroUserId: string | null, organisations: [string, string][], authEventId: string | null = `ae-${connectionId}`): XeroFootprint => ({
  connectionId,
  companyId,
  xeroUserId,
  authEventId,
  organisations: organisations.map(([tenantId, xeroConnectionId]) => ({ tenantId, xeroConnectionId })),
});

describe('connectDecision', () => {
  const other = footprint('c-other', 'other-co', USER_1, [[ORG_A, 'x-1']]);

  it('allows an organisation no other company uses', () => {
    expect(connectDecision('acme', ORG_B, [other], false)).toEqual({ kind: 'allowed', sharedWith: [] });
  });

  it("refuses one another company uses, naming that company's connection only", () => {
    expect(connectDecision('acme', ORG_A, [other], false)).toEqual({ kind: 'refused', inUseBy: 'c-other' });
  });

  it('allows it once sharing is allowed for the organisation, and says with whom it is shared', () => {
    expect(connectDecision('acme', ORG_A, [other], true)).toEqual({ kind: 'allowed', sharedWith: ['c-other'] });
  });

  it("never counts the company's own earlier connection (reconnecting after expiry or revocation)", () => {
    expect(connectDecision('acme', ORG_A, [footprint('c-old', 'acme', USER_1, [[ORG_A, 'x-1']])], false)).toEqual({ kind: 'allowed', sharedWith: [] });
  });
});

describe('xeroCleanupPlan', () => {
  it('removes everything and revokes when nothing else stands on it', () => {
    const ending = footprint('c-1', 'acme', USER_1, [[ORG_A, 'x-1']]);
    expect(xeroCleanupPlan(ending, [ending, footprint('c-2', 'globex', USER_2, [[ORG_B, 'x-2']])])).toEqual({
      remove: [{ tenantId: ORG_A, xeroConnectionId: 'x-1' }],
      keep: [],
      revokeGrant: true,
      keptFor: [],
    });
  });

  it('keeps the organisation connection and the grant when another company uses them through the same Xero user', () => {
    const ending = footprint('c-1', 'acme', USER_1, [[ORG_A, 'x-1']]);
    expect(xeroCleanupPlan(ending, [footprint('c-2', 'acme-south', USER_1, [[ORG_A, 'x-1']])])).toEqual({
      remove: [],
      keep: [{ tenantId: ORG_A, xeroConnectionId: 'x-1' }],
      revokeGrant: false,
      keptFor: ['c-2'],
    });
  });

  it("removes its own connection and revokes when the other company's connection is another Xero user's", () => {
    const ending = footprint('c-1', 'acme', USER_1, [[ORG_A, 'x-1']]);
    const plan = xeroCleanupPlan(ending, [footprint('c-2', 'acme-south', USER_2, [[ORG_A, 'x-9']])]);
    expect(plan).toMatchObject({ remove: [{ tenantId: ORG_A, xeroConnectionId: 'x-1' }], revokeGrant: true, keptFor: [] });
  });

  it('does not revoke when the same Xero user serves another company on another organisation (revoking removes all their connections)', () => {
    const ending = footprint('c-1', 'acme', USER_1, [[ORG_A, 'x-1']]);
    const plan = xeroCleanupPlan(ending, [footprint('c-2', 'globex', USER_1, [[ORG_B, 'x-2']])]);
    expect(plan).toEqual({ remove: [{ tenantId: ORG_A, xeroConnectionId: 'x-1' }], keep: [], revokeGrant: false, keptFor: ['c-2'] });
  });

  it('treats a connection whose Xero user is unknown as possibly the same user', () => {
    const ending = footprint('c-1', 'acme', USER_1, [[ORG_A, 'x-1']]);
    expect(xeroCleanupPlan(ending, [footprint('c-2', 'old-co', null, [[ORG_A, 'x-7']])])).toMatchObject({ remove: [], revokeGrant: false, keptFor: ['c-2'] });
    const unknownEnding = footprint('c-3', 'older-co', null, [[ORG_B, 'x-3']]);
    expect(xeroCleanupPlan(unknownEnding, [footprint('c-4', 'globex', USER_2, [[ORG_A, 'x-4']])])).toMatchObject({ remove: [{ tenantId: ORG_B, xeroConnectionId: 'x-3' }], revokeGrant: false });
  });

  it('keeps a grant another connection came from', () => {
    const ending = footprint('c-1', 'acme', USER_1, [[ORG_A, 'x-1']], 'ae-shared');
    expect(xeroCleanupPlan(ending, [footprint('c-2', 'globex', USER_2, [[ORG_B, 'x-2']], 'ae-shared')]).revokeGrant).toBe(false);
  });

  it('on reconnecting, leaves the replacement standing: its connection and its user are the new connection\'s', () => {
    const replaced = footprint('c-old', 'acme', USER_1, [[ORG_A, 'x-1']]);
    const replacement = footprint('c-new', 'acme', USER_1, [[ORG_A, 'x-1']]);
    expect(xeroCleanupPlan(replaced, [replacement])).toEqual({ remove: [], keep: [{ tenantId: ORG_A, xeroConnectionId: 'x-1' }], revokeGrant: false, keptFor: ['c-new'] });
  });
});
