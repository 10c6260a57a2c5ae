import { expiryReason, keepAliveDue, needsRefresh, refreshTokenAge, rejectedTokenDecision } from './refresh-policy';

const now = new Date('2026-03-01T12:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

describe('needsRefresh', () => {
  it('keeps a token with more than five minutes left', () => {
    expect(needsRefresh(minutes(6), now, 300)).toBe(false);
    expect(needsRefresh(minutes(5), now, 300)).toBe(false);
  });

  it('refreshes a token with less than five minutes left, an expired one, or none', () => {
    expect(needsRefresh(minutes(4.9), now, 300)).toBe(true);
    expect(needsRefresh(minutes(-10), now, 300)).toBe(true);
    expect(needsRefresh(null, now, 300)).toBe(true);
  });
});

describe('keepAliveDue', () => {
  it('is due once the refresh token is older than the threshold', () => {
    expect(keepAliveDue(daysAgo(6.9), now, 7)).toBe(false);
    expect(keepAliveDue(daysAgo(7), now, 7)).toBe(true);
    expect(keepAliveDue(daysAgo(59), now, 7)).toBe(true);
    expect(keepAliveDue(null, now, 7)).toBe(true);
  });
});

describe('expiryReason', () => {
  it('blames age when the refresh token outlived its lifetime, else the grant itself', () => {
    expect(expiryReason(daysAgo(61), now, 60)).toBe('refresh_token_expired');
    expect(expiryReason(daysAgo(3), now, 60)).toBe('invalid_grant');
    expect(expiryReason(null, now, 60)).toBe('invalid_grant');
  });
});

describe('refreshTokenAge', () => {
  it('reports age and days left', () => {
    expect(refreshTokenAge(daysAgo(10), now, 60)).toEqual({ ageDays: 10, daysLeft: 50 });
    expect(refreshTokenAge(daysAgo(75), now, 60)).toEqual({ ageDays: 75, daysLeft: 0 });
    expect(refreshTokenAge(null, now, 60)).toBeUndefined();
  });
});

describe('rejectedTokenDecision', () => {
  const secondsAgo = (n: number) => new Date(now.getTime() - n * 1000);
  const report = (rejected: string, issuedAt: Date | null) => ({ rejected, current: 'fp-current', issuedAt });

  it('refreshes when the rejected token is the stored one and older than the guard window', () => {
    expect(rejectedTokenDecision(report('fp-current', secondsAgo(30)), now, 30_000)).toBe('refresh');
    expect(rejectedTokenDecision(report('fp-current', secondsAgo(600)), now, 30_000)).toBe('refresh');
    expect(rejectedTokenDecision(report('fp-current', null), now, 30_000)).toBe('refresh');
  });

  it('hands out the current token when the rejected one was already replaced, however young the current one', () => {
    expect(rejectedTokenDecision(report('fp-older', secondsAgo(600)), now, 30_000)).toBe('already_replaced');
    expect(rejectedTokenDecision(report('fp-older', secondsAgo(1)), now, 30_000)).toBe('already_replaced');
  });

  it('does not refresh a token issued inside the guard window again', () => {
    expect(rejectedTokenDecision(report('fp-current', secondsAgo(0)), now, 30_000)).toBe('too_recent');
    expect(rejectedTokenDecision(report('fp-current', secondsAgo(29.9)), now, 30_000)).toBe('too_recent');
  });
});
