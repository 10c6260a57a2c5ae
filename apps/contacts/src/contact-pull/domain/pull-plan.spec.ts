import { afterPage, modifiedSince, PULL_PAGE_SIZE } from './pull-plan';

describe('afterPage', () => {
  it('reads the next page from the same instant when Xero says there is more, carrying the newest change seen', () => {
    expect(
      afterPage(
        { page: 1, highWater: '2026-01-01T00:00:00.000Z' },
        { count: PULL_PAGE_SIZE, hasMore: true, newest: '2026-01-02T00:00:00.000Z', since: '2025-12-31T00:00:00.000Z' },
      ),
    ).toEqual({
      kind: 'next_page',
      body: { page: 2, started: true, since: '2025-12-31T00:00:00.000Z', highWater: '2026-01-02T00:00:00.000Z' },
    });
  });

  it('without pagination, a full page means more', () => {
    expect(afterPage({ page: 3 }, { count: PULL_PAGE_SIZE }).kind).toBe('next_page');
    expect(afterPage({ page: 3 }, { count: PULL_PAGE_SIZE - 1 }).kind).toBe('done');
  });

  it('ends a run at the newest change of all its pages, and keeps a manual sync’s counts on the way', () => {
    expect(afterPage({ page: 2, highWater: '2026-01-03T00:00:00.000Z' }, { count: 3, hasMore: false, newest: '2026-01-02T00:00:00.000Z' })).toEqual({
      kind: 'done',
      highWater: '2026-01-03T00:00:00.000Z',
    });
    const next = afterPage({ page: 1, syncId: 's' }, { count: 1000, hasMore: true }, { pagesRead: 1, recordsChanged: 4, errors: 0 });
    expect(next).toMatchObject({ body: { syncId: 's', progress: { pagesRead: 1, recordsChanged: 4, errors: 0 } } });
  });
});

describe('modifiedSince', () => {
  it('reads from a minute before the checkpoint, and everything on a first import', () => {
    expect(modifiedSince('2026-01-01T00:01:00.000Z')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(modifiedSince(undefined)).toBeUndefined();
  });
});
