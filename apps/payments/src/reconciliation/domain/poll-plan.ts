/** What the poll can read: invoices (they list their payments and credits) and payments (deleted ones explicitly). */
export const POLL_RESOURCES = ['Invoices', 'Payments'] as const;
export type PollResource = (typeof POLL_RESOURCES)[number];

/** One page of an incremental read: the operations engine stores it, so it is plain data. */
export interface PullBody {
  resource: PollResource;
  /** The checkpoint this run started from (ISO instant). */
  since: string;
  /** 1-based, as in Xero. */
  page: number;
  /** The newest UpdatedDateUTC seen on the run's earlier pages. */
  highWater?: string;
}

/** What one page held: how many records (of every kind, ours or not) and the newest change among them. */
export interface PulledPage {
  count: number;
  pageSize: number;
  newest?: string;
  /** Xero's own word (its `pagination.pageCount`), where it gave one. */
  hasMore?: boolean;
}

export type AfterPage = { kind: 'next_page'; body: PullBody } | { kind: 'done'; highWater?: string };

/**
 * Xero's If-Modified-Since reads are asked from a little before the checkpoint: a record changed while a run was
 * paging, or stamped by a Xero clock a little behind, is read again rather than missed. Reading something twice
 * decides nothing twice.
 */
export const POLL_OVERLAP_MS = 300_000;

export function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The instant sent as If-Modified-Since for a run from `since`. */
export function modifiedSince(since: string, overlapMs = POLL_OVERLAP_MS): Date {
  return new Date(Date.parse(since) - overlapMs);
}

/**
 * More pages (Xero's pagination says so, or without it a full page): read the next one. Otherwise the run is done
 * at its newest change.
 */
export function afterPage(body: PullBody, page: PulledPage): AfterPage {
  const highWater = laterOf(body.highWater, page.newest);
  if (page.hasMore ?? page.count >= page.pageSize) return { kind: 'next_page', body: { resource: body.resource, since: body.since, page: body.page + 1, ...(highWater ? { highWater } : {}) } };
  return { kind: 'done', ...(highWater ? { highWater } : {}) };
}
