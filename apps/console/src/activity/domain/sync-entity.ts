/** Whether an operation kind writes to Xero (push) or reads from it (pull). */
export type SyncDirection = 'push' | 'pull';

/** The engine's outcomes that count as a success for "last successful push/pull". */
const SUCCESSES = new Set(['succeeded', 'found_in_xero']);
/** The outcomes that leave a record still to be sent. */
export const PENDING_OUTCOMES = ['retrying', 'waiting_connection'] as const;
const PENDING = new Set<string>(PENDING_OUTCOMES);

/** Kinds whose first segment does not name the entity they concern. */
const ENTITY_OF_PREFIX: Record<string, string> = { reconciliation: 'payment', document: 'document' };
const PULL_VERBS = new Set(['poll', 'pull', 'look']);

/**
 * The entity an operation kind concerns, as the sync log filters it: `invoice.create` → invoice,
 * `contact.sync` → contact, `reconciliation.pull` → payment.
 */
export function entityOfKind(kind: string): string {
  const prefix = kind.split('.')[0] || kind;
  return ENTITY_OF_PREFIX[prefix] ?? prefix;
}

/** Reads (`*.poll`, `*.pull`, `*.look`) are pulls; every other kind changes Xero. */
export function directionOfKind(kind: string): SyncDirection {
  const verb = kind.split('.')[1] ?? '';
  return PULL_VERBS.has(verb) ? 'pull' : 'push';
}

export const isSuccessOutcome = (outcome: string): boolean => SUCCESSES.has(outcome);
export const isPendingOutcome = (outcome: string): boolean => PENDING.has(outcome);
