import { fullJitterDelay } from './backoff';

describe('fullJitterDelay', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 2_000 };

  it('stays within [0, min(max, base * 2^attempt))', () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const ceiling = Math.min(2_000, 100 * 2 ** attempt);
      expect(fullJitterDelay(attempt, policy, () => 0)).toBe(0);
      expect(fullJitterDelay(attempt, policy, () => 0.999999)).toBe(ceiling - 1);
      for (let i = 0; i < 200; i++) {
        const delay = fullJitterDelay(attempt, policy);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it('spreads delays over the whole interval rather than clustering', () => {
    const samples = Array.from({ length: 2_000 }, () => fullJitterDelay(3, policy));
    const ceiling = 800;
    const lowHalf = samples.filter((d) => d < ceiling / 2).length;
    expect(lowHalf / samples.length).toBeGreaterThan(0.4);
    expect(lowHalf / samples.length).toBeLessThan(0.6);
    expect(Math.max(...samples)).toBeGreaterThan(ceiling * 0.9);
  });

  it('never exceeds the cap however many attempts were made', () => {
    expect(fullJitterDelay(60, policy, () => 0.999999)).toBeLessThan(2_000);
  });
});
