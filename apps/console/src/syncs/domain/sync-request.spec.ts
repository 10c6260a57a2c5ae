import { endsStream, expiredMessage, isFinished, scopesOf } from './sync-request';

describe('sync requests', () => {
  it('starts one sync per scope for all, and one for a named scope', () => {
    expect(scopesOf('all')).toEqual(['contacts', 'payments', 'quotes']);
    expect(scopesOf('payments')).toEqual(['payments']);
  });

  it('ends a stream after done, failed or expired, not while it runs', () => {
    expect(['requested', 'running'].map(endsStream)).toEqual([false, false]);
    expect(['done', 'failed', 'expired'].map(endsStream)).toEqual([true, true, true]);
    expect(isFinished('running')).toBe(false);
    expect(isFinished('expired')).toBe(true);
  });

  it('says why an expired sync was given up', () => {
    expect(expiredMessage(5000)).toContain('no progress for 5000 ms');
  });
});
