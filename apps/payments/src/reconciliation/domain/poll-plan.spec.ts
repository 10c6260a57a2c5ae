import { afterPage, laterOf, modifiedSince, PullBody } from './poll-plan';

const body = (overrides: Partial<PullBody> = {}): PullBody => ({ resource: 'Invoices', since: '2026-11-20T10:00:00.000Z', page: 1, ...overrides });

describe('the incremental poll', () => {
  it('reads the next page after a full one, carrying the newest change seen so far', () => {
    expect(afterPage(body(), { count: 1000, pageSize: 1000, newest: '2026-11-20T11:00:00.000Z' })).toEqual({
      kind: 'next_page',
      body: { resource: 'Invoices', since: '2026-11-20T10:00:00.000Z', page: 2, highWater: '2026-11-20T11:00:00.000Z' },
    });
  });

  it('ends at a page that is not full, at the newest change of the whole run', () => {
    expect(afterPage(body({ page: 3, highWater: '2026-11-20T12:00:00.000Z' }), { count: 10, pageSize: 1000, newest: '2026-11-20T11:30:00.000Z' })).toEqual({
      kind: 'done',
      highWater: '2026-11-20T12:00:00.000Z',
    });
  });

  it('believes Xero’s pagination over the page’s size: a last full page needs no extra read', () => {
    expect(afterPage(body({ page: 10 }), { count: 1000, pageSize: 1000, hasMore: false })).toEqual({ kind: 'done' });
    expect(afterPage(body(), { count: 10, pageSize: 1000, hasMore: true }).kind).toBe('next_page');
  });

  it('ends without moving the checkpoint when nothing changed', () => {
    expect(afterPage(body(), { count: 0, pageSize: 1000 })).toEqual({ kind: 'done' });
  });

  it('asks Xero from a little before the checkpoint', () => {
    expect(modifiedSince('2026-11-20T10:00:00.000Z', 60_000).toISOString()).toBe('2026-11-20T09:59:00.000Z');
  });

  it('compares instants, not strings', () => {
    expect(laterOf('2026-11-20T10:00:00.000Z', '2026-11-20T09:00:00+00:00')).toBe('2026-11-20T10:00:00.000Z');
    expect(laterOf(undefined, '2026-11-20T09:00:00.000Z')).toBe('2026-11-20T09:00:00.000Z');
  });
});
