/** Xero's accounting endpoints page at most 1000 records per request. */
export const XERO_MAX_PAGE_SIZE = 1000;

export interface PageQuery {
  /** 1-based, as in Xero. */
  page?: number;
  pageSize?: number;
  /** Only records changed since this instant (sent as If-Modified-Since). */
  ifModifiedSince?: Date;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  hasMore: boolean;
}

export function pageOf<T>(items: T[] | undefined, page: number, pageSize: number, pagination?: { pageCount?: number }): Page<T> {
  const list = items ?? [];
  const hasMore = pagination?.pageCount !== undefined ? page < pagination.pageCount : list.length >= pageSize;
  return { items: list, page, pageSize, hasMore };
}

export function pageParams(query: PageQuery, defaultPageSize = 100): { page: number; pageSize: number } {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? defaultPageSize;
  if (!Number.isInteger(page) || page < 1) throw new RangeError('page must be a whole number >= 1');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > XERO_MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be a whole number between 1 and ${XERO_MAX_PAGE_SIZE}`);
  }
  return { page, pageSize };
}

/** Walks every page of a query, one request at a time (each one through the shared budget). */
export async function* allPages<T, Q extends PageQuery>(fetchPage: (query: Q) => Promise<Page<T>>, query: Q): AsyncGenerator<T[], void, void> {
  let page = query.page ?? 1;
  for (;;) {
    const result = await fetchPage({ ...query, page });
    if (result.items.length > 0) yield result.items;
    if (!result.hasMore || result.items.length === 0) return;
    page += 1;
  }
}

/** A string literal for Xero's `where` filter. */
export function whereString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
