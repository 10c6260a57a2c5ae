/** What the service knows about a client's Xero contact. */
export interface KnownContact {
  xeroContactId: string;
  contentHash: string;
}

export type SyncPlan =
  /** Xero already has exactly what the client maps to: no call at all. */
  | { kind: 'unchanged' }
  /** The client changed since it was last written: update the linked contact. */
  | { kind: 'update'; xeroContactId: string }
  /** No contact is linked yet: match an existing one or create one. */
  | { kind: 'link' };

export function planSync(known: KnownContact | undefined, desiredHash: string): SyncPlan {
  if (!known) return { kind: 'link' };
  if (known.contentHash === desiredHash) return { kind: 'unchanged' };
  return { kind: 'update', xeroContactId: known.xeroContactId };
}
