/**
 * One Xero organisation in several Ledgerline companies: whether a company may connect an organisation
 * another company uses, and what ending a connection may undo at Xero without cutting anyone else off.
 *
 * It rests on how Xero ties things together: a connection (GET /connections) belongs to the app, the
 * Xero user and the organisation, and the same user consenting again takes over that user's connection;
 * DELETE /connections/{id} ends it for every grant of that user; revoking a refresh token removes all of
 * that user's connections to the app, not just the organisations of its own consent.
 */

/** One Xero organisation connection, as Xero's GET /connections names it. */
export interface XeroOrganisationLink {
  tenantId: string;
  xeroConnectionId: string;
}

/** What a Ledgerline connection stands on at Xero. */
export interface XeroFootprint {
  connectionId: string;
  companyId: string;
  /** Null when not recorded (older rows): it might be anyone's, so it is treated as sharing every user. */
  xeroUserId: string | null;
  authEventId: string | null;
  /** Its organisation, or the ones it may still choose among. */
  organisations: XeroOrganisationLink[];
}

/** Another company's connection to the organisation: only its id is ever shown to the company asking. */
export type ConnectDecision = { kind: 'allowed'; sharedWith: string[] } | { kind: 'refused'; inUseBy: string };

/**
 * A company may connect an organisation another company's current connection uses only when a super admin
 * allowed sharing it. The company's own earlier connection (expired, revoked, about to be replaced) never counts.
 */
export function connectDecision(companyId: string, tenantId: string, current: XeroFootprint[], sharingAllowed: boolean): ConnectDecision {
  const others = current.filter((c) => c.companyId !== companyId && c.organisations.some((o) => o.tenantId === tenantId));
  if (others.length === 0 || sharingAllowed) return { kind: 'allowed', sharedWith: others.map((c) => c.connectionId) };
  return { kind: 'refused', inUseBy: others[0].connectionId };
}

/** What ending a connection does at Xero: the rest stays, because someone else still depends on it. */
export interface XeroCleanupPlan {
  /** Organisation connections to remove (DELETE /connections/{id}). */
  remove: XeroOrganisationLink[];
  /** Organisation connections left in place for other connections. */
  keep: XeroOrganisationLink[];
  /** Whether the grant's refresh token may be revoked. */
  revokeGrant: boolean;
  /** The connections (ids) that what was kept is kept for. */
  keptFor: string[];
}

const maySameUser = (a: XeroFootprint, b: XeroFootprint) => a.xeroUserId === null || b.xeroUserId === null || a.xeroUserId === b.xeroUserId;

/**
 * `ending` stops using Xero; `others` are every other current connection (any company, including the one
 * that replaces it). An organisation connection is removed unless another connection uses that very
 * connection (the same Xero user on the same organisation). The grant is revoked only when no other
 * connection could belong to the same Xero user (or grant), because revoking removes all of that user's
 * connections to the app, whichever organisation or company they serve.
 */
export function xeroCleanupPlan(ending: XeroFootprint, others: XeroFootprint[]): XeroCleanupPlan {
  const rest = others.filter((o) => o.connectionId !== ending.connectionId);
  const keptFor = new Set<string>();
  const remove: XeroOrganisationLink[] = [];
  const keep: XeroOrganisationLink[] = [];
  for (const link of ending.organisations) {
    const dependents = rest.filter((o) =>
      o.organisations.some((x) => x.xeroConnectionId === link.xeroConnectionId || (x.tenantId === link.tenantId && maySameUser(ending, o))),
    );
    dependents.forEach((d) => keptFor.add(d.connectionId));
    (dependents.length === 0 ? remove : keep).push(link);
  }
  const grantDependents = rest.filter((o) => (ending.authEventId !== null && o.authEventId === ending.authEventId) || maySameUser(ending, o));
  grantDependents.forEach((d) => keptFor.add(d.connectionId));
  return { remove, keep, revokeGrant: grantDependents.length === 0, keptFor: [...keptFor] };
}
