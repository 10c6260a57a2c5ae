import { SYNC_SCOPES, SyncScope } from '@ledgerline/contracts';

export const REQUESTABLE_SCOPES = [...SYNC_SCOPES, 'all'] as const;
export type RequestedScope = (typeof REQUESTABLE_SCOPES)[number];

/** The syncs one request starts: `all` is one per scope, each locked and reported on its own. */
export const scopesOf = (requested: RequestedScope): SyncScope[] => (requested === 'all' ? [...SYNC_SCOPES] : [requested]);

/** A console sync's states: the owning service's (running, done, failed), before its first word (requested), or given up (expired). */
export type SyncState = 'requested' | 'running' | 'done' | 'failed' | 'expired';

export const isFinished = (state: SyncState): boolean => state === 'done' || state === 'failed' || state === 'expired';

/** Whether a stream that has sent an event in `state` has nothing more to send. */
export const endsStream = (state: string): boolean => state === 'done' || state === 'failed' || state === 'expired';

/** The message of a sync given up because its worker fell silent. */
export const expiredMessage = (leaseMs: number): string =>
  `no progress for ${leaseMs} ms: the sync was given up and its lock released; start it again`;
