import { CONTACT_FIELDS, ContactField, ContactFieldValues, sameValue } from './contact-fields';

export const CONFLICT_POLICIES = ['ledgerline_wins', 'xero_wins', 'most_recent', 'manual'] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];
export const DEFAULT_CONFLICT_POLICY: ConflictPolicy = 'most_recent';

export type Side = 'ledgerline' | 'xero';

/**
 * What both sides agreed on when they were last in step, per side: `xero` is what Xero held, `ledgerline` the
 * client's value it was agreed against. They differ only where Xero's value was taken and the client has not
 * caught up yet: the client then has not changed, so its stale value is not pushed back.
 */
export interface SyncedSnapshot {
  xero: ContactFieldValues;
  ledgerline: ContactFieldValues;
}

export interface FieldConflict {
  field: ContactField;
  base: unknown;
  ledgerline: unknown;
  xero: unknown;
  /** Who the policy chose; undefined while a `manual` conflict waits for a person. */
  winner?: Side;
}

export interface ReconcileInput {
  snapshot: SyncedSnapshot;
  ledgerline: ContactFieldValues;
  xero: ContactFieldValues;
  policy: ConflictPolicy;
  /** When each side last changed: `most_recent` takes the later one (Ledgerline's on a tie, it is the writer). */
  ledgerlineChangedAt?: Date;
  xeroChangedAt?: Date;
  /** Fields a person is deciding: left as they are until the conflict is resolved. */
  held?: ReadonlySet<ContactField>;
}

export interface ReconcileResult {
  /** Fields to write to Xero, with the client's values. */
  push: ContactField[];
  /** Fields whose Xero value Ledgerline takes (announced as `contact.changed`). */
  accept: ContactField[];
  /** Both sides changed a field differently. */
  conflicts: FieldConflict[];
  /** The snapshot once the pushes have reached Xero (and at once for everything else). */
  snapshot: SyncedSnapshot;
}

function policyWinner(input: ReconcileInput): Side | undefined {
  switch (input.policy) {
    case 'ledgerline_wins':
      return 'ledgerline';
    case 'xero_wins':
      return 'xero';
    case 'manual':
      return undefined;
    case 'most_recent': {
      const l = input.ledgerlineChangedAt?.getTime();
      const x = input.xeroChangedAt?.getTime();
      if (x === undefined) return 'ledgerline';
      if (l === undefined) return 'xero';
      return x > l ? 'xero' : 'ledgerline';
    }
  }
}

/**
 * The three-way rule, field by field, against the last-synced snapshot: a field changed on one side only flows to
 * the other; changed on both sides to the same value, it simply agrees; changed on both sides differently, it is a
 * conflict the company's policy decides (`manual`: nobody, until a person does).
 */
export function reconcileFields(input: ReconcileInput): ReconcileResult {
  const { snapshot, ledgerline, xero } = input;
  const next: SyncedSnapshot = { xero: { ...snapshot.xero }, ledgerline: { ...snapshot.ledgerline } };
  const set = (target: ContactFieldValues, field: ContactField, value: unknown) => {
    if (value === undefined) delete target[field];
    else (target as Record<string, unknown>)[field] = value;
  };
  const agree = (field: ContactField, value: unknown) => {
    set(next.xero, field, value);
    set(next.ledgerline, field, value);
  };
  const result: ReconcileResult = { push: [], accept: [], conflicts: [], snapshot: next };
  for (const field of CONTACT_FIELDS) {
    if (input.held?.has(field)) continue;
    const ledgerlineChanged = !sameValue(ledgerline[field], snapshot.ledgerline[field]);
    const xeroChanged = !sameValue(xero[field], snapshot.xero[field]);
    if (!ledgerlineChanged && !xeroChanged) continue;
    if (sameValue(ledgerline[field], xero[field])) {
      agree(field, xero[field]);
      continue;
    }
    if (ledgerlineChanged && !xeroChanged) {
      result.push.push(field);
      agree(field, ledgerline[field]);
      continue;
    }
    if (!ledgerlineChanged && xeroChanged) {
      result.accept.push(field);
      set(next.xero, field, xero[field]);
      continue;
    }
    const winner = policyWinner(input);
    result.conflicts.push({ field, base: snapshot.xero[field], ledgerline: ledgerline[field], xero: xero[field], ...(winner ? { winner } : {}) });
    if (winner === 'ledgerline') {
      result.push.push(field);
      agree(field, ledgerline[field]);
    } else if (winner === 'xero') {
      result.accept.push(field);
      set(next.xero, field, xero[field]);
      set(next.ledgerline, field, ledgerline[field]);
    }
  }
  return result;
}

/** A snapshot of a contact both sides agree on (just written by Ledgerline, or just read with nothing to compare). */
export function agreedSnapshot(values: ContactFieldValues): SyncedSnapshot {
  return { xero: { ...values }, ledgerline: { ...values } };
}

/**
 * A person's choice for a manual conflict: a field Xero keeps is taken (the client's value it was decided against
 * is remembered, so it is not pushed back); a field Ledgerline keeps is pushed (its base becomes Xero's value, so the
 * client's value reads as the change).
 */
export function resolvedSnapshot(snapshot: SyncedSnapshot, conflicts: readonly FieldConflict[], choice: Readonly<Partial<Record<ContactField, Side>>>): SyncedSnapshot {
  const next: SyncedSnapshot = { xero: { ...snapshot.xero }, ledgerline: { ...snapshot.ledgerline } };
  for (const conflict of conflicts) {
    const side = choice[conflict.field];
    if (!side) continue;
    const xero = next.xero as Record<string, unknown>;
    const ledgerline = next.ledgerline as Record<string, unknown>;
    if (conflict.xero === undefined) delete xero[conflict.field];
    else xero[conflict.field] = conflict.xero;
    const base = side === 'xero' ? conflict.ledgerline : conflict.xero;
    if (base === undefined) delete ledgerline[conflict.field];
    else ledgerline[conflict.field] = base;
  }
  return next;
}
