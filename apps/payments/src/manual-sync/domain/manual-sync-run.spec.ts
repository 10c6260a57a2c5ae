import { nextResource, pageRead, progressOf, startRun } from './manual-sync-run';

const SYNC = '7d3f1d4e-5a2b-4c8e-9f10-2b3c4d5e6f70';

describe('a manual sync run', () => {
  it('counts pages and changed records cumulatively', () => {
    const run = pageRead(pageRead(startRun(SYNC, ['Payments']), 3), 0);
    expect(progressOf('payments', run, 'running')).toEqual({ syncId: SYNC, scope: 'payments', state: 'running', pagesRead: 2, recordsChanged: 3, errors: 0 });
  });

  it('reads the remaining resources one after the other, then has none', () => {
    const first = nextResource(startRun(SYNC, ['Invoices', 'Payments']));
    expect(first?.resource).toBe('Invoices');
    const second = nextResource(first!.run);
    expect(second).toEqual({ resource: 'Payments', run: { syncId: SYNC, pagesRead: 0, recordsChanged: 0, errors: 0, remaining: [] } });
    expect(nextResource(second!.run)).toBeUndefined();
  });

  it('counts a failure as an error and carries its catalogue code and messages', () => {
    const run = pageRead(startRun(SYNC, []), 1);
    expect(progressOf('quotes', run, 'failed', { code: 'NOT_CONNECTED', messages: ['no connection'] })).toEqual({
      syncId: SYNC,
      scope: 'quotes',
      state: 'failed',
      pagesRead: 1,
      recordsChanged: 1,
      errors: 1,
      failure: { code: 'NOT_CONNECTED', messages: ['no connection'] },
    });
  });
});
