/** Xero's largest page: 100,000 contacts are 100 calls. */
export const PULL_PAGE_SIZE = 1000;

/**
 * Incremental reads are asked from a little before the checkpoint: a contact changed while a run was paging, or
 * stamped by a Xero clock a little behind, is read again rather than missed. Reading it twice announces nothing
 * twice (it equals its snapshot the second time).
 */
export const PULL_OVERLAP_MS = 60_000;

/** Counts a manual sync reports, cumulative over its pages. */
export interface PullProgress {
  pagesRead: number;
  recordsChanged: number;
  errors: number;
}

/** One page of a run: plain data, stored by the operations engine. */
export interface ContactPullBody {
  page: number;
  /** The checkpoint the run started from; absent on a run's first page (read when the call goes out) and on a first import. */
  since?: string;
  /** Set once the first page has gone out, so later pages read from the same instant. */
  started?: boolean;
  /** The newest UpdatedDateUTC seen on the run's earlier pages. */
  highWater?: string;
  /** A manual sync this run answers with `sync.progress`. */
  syncId?: string;
  progress?: PullProgress;
}

export function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

export function modifiedSince(since: string | undefined, overlapMs = PULL_OVERLAP_MS): Date | undefined {
  return since ? new Date(Date.parse(since) - overlapMs) : undefined;
}

export type AfterPage = { kind: 'next_page'; body: ContactPullBody } | { kind: 'done'; highWater?: string };

/** More pages (Xero's pagination says so, or without it a full page): read the next one; else the run is done at its newest change. */
export function afterPage(body: ContactPullBody, page: { count: number; hasMore?: boolean; newest?: string; since?: string }, progress?: PullProgress): AfterPage {
  const highWater = laterOf(body.highWater, page.newest);
  if (page.hasMore ?? page.count >= PULL_PAGE_SIZE) {
    return {
      kind: 'next_page',
      body: {
        page: body.page + 1,
        started: true,
        ...(page.since ? { since: page.since } : {}),
        ...(highWater ? { highWater } : {}),
        ...(body.syncId ? { syncId: body.syncId } : {}),
        ...(progress ? { progress } : {}),
      },
    };
  }
  return { kind: 'done', ...(highWater ? { highWater } : {}) };
}
