import { batchKeyParts, planDispatch, resendDelayMs } from './dispatch-plan';

const now = new Date('2026-03-01T10:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('planDispatch', () => {
  const options = { batchSize: 50, lingerMs: 250, slots: 10 };

  it('sends full batches at once and holds a partial one until it has lingered', () => {
    expect(planDispatch([{ companyId: 'acme', ready: 120, oldestReadyAt: ago(10) }], now, options)).toEqual([
      { companyId: 'acme', size: 50 },
      { companyId: 'acme', size: 50 },
    ]);
    expect(planDispatch([{ companyId: 'acme', ready: 120, oldestReadyAt: ago(250) }], now, options)).toEqual([
      { companyId: 'acme', size: 50 },
      { companyId: 'acme', size: 50 },
      { companyId: 'acme', size: 20 },
    ]);
  });

  it('holds a lone fresh document, then sends it alone once it has waited long enough', () => {
    expect(planDispatch([{ companyId: 'acme', ready: 1, oldestReadyAt: ago(100) }], now, options)).toEqual([]);
    expect(planDispatch([{ companyId: 'acme', ready: 1, oldestReadyAt: ago(300) }], now, options)).toEqual([{ companyId: 'acme', size: 1 }]);
  });

  it('sends at once when there is no linger', () => {
    expect(planDispatch([{ companyId: 'acme', ready: 3, oldestReadyAt: now }], now, { ...options, lingerMs: 0 })).toEqual([{ companyId: 'acme', size: 3 }]);
  });

  it('never mixes companies in a batch and shares the slots fairly, longest-waiting first', () => {
    const plan = planDispatch(
      [
        { companyId: 'busy', ready: 500, oldestReadyAt: ago(1_000) },
        { companyId: 'quiet', ready: 2, oldestReadyAt: ago(500) },
        { companyId: 'older', ready: 60, oldestReadyAt: ago(5_000) },
      ],
      now,
      { ...options, slots: 5 },
    );
    expect(plan).toEqual([
      { companyId: 'older', size: 50 },
      { companyId: 'busy', size: 50 },
      { companyId: 'quiet', size: 2 },
      { companyId: 'older', size: 10 },
      { companyId: 'busy', size: 50 },
    ]);
  });

  it('plans nothing without slots or ready documents', () => {
    expect(planDispatch([{ companyId: 'acme', ready: 80, oldestReadyAt: ago(1_000) }], now, { ...options, slots: 0 })).toEqual([]);
    expect(planDispatch([{ companyId: 'acme', ready: 0, oldestReadyAt: ago(1_000) }], now, options)).toEqual([]);
    expect(planDispatch([], now, options)).toEqual([]);
  });

  it('honours smaller batch sizes', () => {
    expect(planDispatch([{ companyId: 'acme', ready: 7, oldestReadyAt: ago(1_000) }], now, { ...options, batchSize: 3 })).toEqual([
      { companyId: 'acme', size: 3 },
      { companyId: 'acme', size: 3 },
      { companyId: 'acme', size: 1 },
    ]);
    expect(() => planDispatch([], now, { ...options, batchSize: 0 })).toThrow(RangeError);
  });
});

describe('resendDelayMs', () => {
  it('doubles from the base, stays within [half, whole] of its ceiling and is capped', () => {
    expect(resendDelayMs(1, 1_000, 60_000, () => 0)).toBe(500);
    expect(resendDelayMs(1, 1_000, 60_000, () => 1)).toBe(1_000);
    expect(resendDelayMs(3, 1_000, 60_000, () => 1)).toBe(4_000);
    expect(resendDelayMs(30, 1_000, 60_000, () => 1)).toBe(60_000);
    expect(resendDelayMs(30, 1_000, 60_000, () => 0)).toBe(30_000);
  });
});

describe('batchKeyParts', () => {
  const members = [
    { requestId: 'req-1', attempt: 1 },
    { requestId: 'req-2', attempt: 1 },
  ];

  it('is the same for the same batch', () => {
    expect(batchKeyParts('acme', 'invoice', members)).toEqual(batchKeyParts('acme', 'invoice', [...members]));
  });

  it('changes with a new attempt, another company, type or membership', () => {
    const key = batchKeyParts('acme', 'invoice', members).join('|');
    expect(batchKeyParts('acme', 'invoice', [members[0], { requestId: 'req-2', attempt: 2 }]).join('|')).not.toBe(key);
    expect(batchKeyParts('other', 'invoice', members).join('|')).not.toBe(key);
    expect(batchKeyParts('acme', 'quote', members).join('|')).not.toBe(key);
    expect(batchKeyParts('acme', 'invoice', [members[0]]).join('|')).not.toBe(key);
  });

  it('needs at least one member', () => {
    expect(() => batchKeyParts('acme', 'invoice', [])).toThrow(RangeError);
  });
});
