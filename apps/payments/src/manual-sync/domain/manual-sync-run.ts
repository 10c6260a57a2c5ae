import { Failure, SyncProgressPayload, SyncProgressState, SyncScope } from '@ledgerline/contracts';

/**
 * A manual sync as it travels from page to page in the operations' bodies: the id the requester chose, the
 * counts so far, and the resources still to read once the current one is done.
 */
export interface ManualSyncRun<Resource extends string = string> {
  syncId: string;
  pagesRead: number;
  recordsChanged: number;
  errors: number;
  /** Read one after the other, once the current resource's last page is read. */
  remaining: Resource[];
}

export const startRun = <Resource extends string>(syncId: string, remaining: Resource[]): ManualSyncRun<Resource> => ({
  syncId,
  pagesRead: 0,
  recordsChanged: 0,
  errors: 0,
  remaining,
});

/** One more page read, which changed `recordsChanged` records. */
export const pageRead = <Resource extends string>(run: ManualSyncRun<Resource>, recordsChanged: number): ManualSyncRun<Resource> => ({
  ...run,
  pagesRead: run.pagesRead + 1,
  recordsChanged: run.recordsChanged + recordsChanged,
});

/** After a resource's last page: the next resource to read, with the run that carries on, or none (the run is done). */
export function nextResource<Resource extends string>(run: ManualSyncRun<Resource>): { resource: Resource; run: ManualSyncRun<Resource> } | undefined {
  const [resource, ...rest] = run.remaining;
  return resource === undefined ? undefined : { resource, run: { ...run, remaining: rest } };
}

/** The `sync.progress` payload of the run in a state: cumulative counts, and a failure counted as an error. */
export function progressOf(scope: SyncScope, run: Omit<ManualSyncRun, 'remaining'>, state: SyncProgressState, failure?: Failure): SyncProgressPayload {
  const { syncId, pagesRead, recordsChanged, errors } = run;
  return {
    syncId,
    scope,
    state,
    pagesRead,
    recordsChanged,
    errors: failure ? errors + 1 : errors,
    ...(failure ? { failure: { code: failure.code, messages: failure.messages } } : {}),
  };
}
