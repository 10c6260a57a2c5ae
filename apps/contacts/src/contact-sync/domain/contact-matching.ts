/** A contact already in the organisation that might be the client's. */
export interface ContactCandidate {
  contactId: string;
  name: string;
  emailAddress?: string;
  contactNumber?: string;
  /** ACTIVE, ARCHIVED or GDPRREQUEST. */
  status?: string;
}

export type MatchRule = 'contactNumber' | 'email' | 'name';

export type MatchDecision =
  | { kind: 'match'; contact: ContactCandidate; by: MatchRule }
  | { kind: 'none' }
  /** Several contacts fit equally well: linking any one of them could put invoices on the wrong contact. */
  | { kind: 'ambiguous'; by: MatchRule; contacts: ContactCandidate[] };

export interface MatchTarget {
  clientId: string;
  name: string;
  email?: string;
}

/** Xero compares names and email addresses without regard to case or surrounding spaces. */
const same = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.trim() !== '' && a.trim().toLowerCase() === b.trim().toLowerCase();

const isBlank = (value: string | undefined): boolean => value === undefined || value.trim() === '';

/**
 * Which existing Xero contact, if any, a client without a mapping should be linked to, instead of creating one.
 *
 * A contact can be linked only if it is active, not already linked to another of the company's clients, and
 * carries no contact number other than this client's id (a different number means another external record owns
 * it). Among those, in order:
 * 1. the contact whose ContactNumber is the client id: Ledgerline created it earlier but lost the answer;
 * 2. the contact with the client's email address; if several share it, the one among them with the client's name;
 * 3. the contact with the client's name (Xero keeps active names unique, so this is the contact a create would
 *    collide with).
 * Several equally good candidates are reported as ambiguous rather than guessed between.
 */
export function chooseMatch(target: MatchTarget, candidates: readonly ContactCandidate[], linkedToOtherClients: ReadonlySet<string>): MatchDecision {
  const eligible = candidates.filter(
    (c) =>
      (c.status === undefined || c.status === 'ACTIVE') &&
      !linkedToOtherClients.has(c.contactId.toLowerCase()) &&
      (isBlank(c.contactNumber) || c.contactNumber === target.clientId),
  );

  const byNumber = eligible.filter((c) => c.contactNumber === target.clientId);
  if (byNumber.length > 0) return decide(byNumber, 'contactNumber');

  if (!isBlank(target.email)) {
    const byEmail = eligible.filter((c) => same(c.emailAddress, target.email));
    if (byEmail.length === 1) return decide(byEmail, 'email');
    if (byEmail.length > 1) {
      const named = byEmail.filter((c) => same(c.name, target.name));
      return named.length === 1 ? decide(named, 'email') : { kind: 'ambiguous', by: 'email', contacts: byEmail };
    }
  }

  const byName = eligible.filter((c) => same(c.name, target.name));
  if (byName.length > 0) return decide(byName, 'name');
  return { kind: 'none' };
}

function decide(found: ContactCandidate[], by: MatchRule): MatchDecision {
  return found.length === 1 ? { kind: 'match', contact: found[0], by } : { kind: 'ambiguous', by, contacts: found };
}

/** The human-readable reason for an ambiguous match, for `contact.sync_failed`. */
export function describeAmbiguity(decision: Extract<MatchDecision, { kind: 'ambiguous' }>): string[] {
  const rule = { contactNumber: 'contact number', email: 'email address', name: 'name' }[decision.by];
  return [
    `${decision.contacts.length} Xero contacts share this client's ${rule}; link one of them or make them distinct in Xero`,
    ...decision.contacts.map((c) => `${c.name} (${c.contactId})`),
  ];
}
