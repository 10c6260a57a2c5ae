import { batchKeyParts, msUntilNextDue, planDispatch, resendDelayMs } from './dispatch-plan';

const now = new Date('2026-03-01T10:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('planDispatch', () => {
  const options = { batchSize: 50, lingerMs: 250, maxWaitMs: 1_000, slots: 10 };

  it('sends what a quiet company has at once: full batches and the rest', () => {
    expect(planDispatch([{ companyId: 'acme', ready: 1, oldestReadyAt: now }], now, options)).toEqual([{ companyId: 'acme', size: 1 }]);
    expect(planDispatch([{ companyId: 'acme', ready: 120, oldestReadyAt: ago(10) }], now, options)).toEqual([
      { companyId: 'acme', size: 50 },
      { companyId: 'acme', size: 50 },
      { companyId: 'acme', size: 20 },
    ]);
    expect(planDispatch([{ companyId: 'acme', ready: 3, oldestReadyAt: now, lastFormedAt: ago(250) }], now, options)).toEqual([{ companyId: 'acme', size: 3 }]);
  });

  it('lets a batch fill while the company\'s requests keep arriving, sending full ones, until the longest wait', () => {
    const arriving = { companyId: 'acme', arriving: true };
    expect(planDispatch([{ ...arriving, ready: 120, oldestReadyAt: ago(900) }], now, options)).toEqual([
      { companyId: 'acme', size: 50 },
      { companyId: 'acme', size: 50 },
    ]);
    expect(planDispatch([{ ...arriving, ready: 20, oldestReadyAt: ago(1_000) }], now, options)).toEqual([{ companyId: 'acme', size: 20 }]);
  });

  it('paces a steady stream: after a batch was formed, the next gathers for the linger', () => {
    const streaming = { companyId: 'acme', lastFormedAt: ago(100) };
    expect(planDispatch([{ ...streaming, ready: 1, oldestReadyAt: ago(10) }], now, options)).toEqual([]);
    expect(planDispatch([{ ...streaming, ready: 4, oldestReadyAt: ago(250) }], now, options)).toEqual([{ companyId: 'acme', size: 4 }]);
  });

  it('holds a partial batch while one of the company is on its way, but never a full one', () => {
    expect(planDispatch([{ companyId: 'acme', ready: 7, oldestReadyAt: ago(5_000), inFlight: 1 }], now, options)).toEqual([]);
    expect(planDispatch([{ companyId: 'acme', ready: 57, oldestReadyAt: ago(5_000), inFlight: 1 }], now, options)).toEqual([{ companyId: 'acme', size: 50 }]);
    expect(planDispatch([{ companyId: 'acme', ready: 7, oldestReadyAt: ago(5_000), inFlight: 0 }], now, options)).toEqual([{ companyId: 'acme', size: 7 }]);
  });

  it('sends at once when there is no linger, even while requests arrive', () => {
    expect(planDispatch([{ companyId: 'acme', ready: 3, oldestReadyAt: now, arriving: true }], now, { ...options, lingerMs: 0, maxWaitMs: 0 })).toEqual([
      { companyId: 'acme', size: 3 },
    ]);
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

  it('says when the next gathering batch becomes due, leaving out full, due and in-flight companies', () => {
    const wait = (companies: Parameters<typeof msUntilNextDue>[0]) => msUntilNextDue(companies, now, options);
    const recently = ago(50);
    expect(
      wait([
        { companyId: 'a', ready: 3, oldestReadyAt: ago(100), lastFormedAt: recently },
        { companyId: 'b', ready: 4, oldestReadyAt: ago(200), lastFormedAt: recently },
      ]),
    ).toBe(50);
    expect(wait([{ companyId: 'a', ready: 3, oldestReadyAt: ago(100), arriving: true }])).toBe(900);
    expect(wait([{ companyId: 'a', ready: 3, oldestReadyAt: ago(100), lastFormedAt: recently, inFlight: 1 }])).toBeUndefined();
    expect(wait([{ companyId: 'a', ready: 100, oldestReadyAt: ago(100), arriving: true }])).toBeUndefined();
    expect(wait([{ companyId: 'a', ready: 3, oldestReadyAt: ago(100) }])).toBeUndefined();
    expect(wait([])).toBeUndefined();
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
  const members = ['0b6f2b1e-1111-4a5e-9d0e-000000000001', '0b6f2b1e-1111-4a5e-9d0e-000000000002'];

  const batch = '7d1c0a55-2222-4b6f-8e1d-000000000001';

  it('is the same for the same batch', () => {
    expect(batchKeyParts('acme', 'invoice.create', batch, members)).toEqual(batchKeyParts('acme', 'invoice.create', batch, [...members]));
  });

  it('changes with another operation (a retry is a new one), company, kind, batch or membership', () => {
    const key = batchKeyParts('acme', 'invoice.create', batch, members).join('|');
    expect(batchKeyParts('acme', 'invoice.create', batch, [members[0], '0b6f2b1e-1111-4a5e-9d0e-000000000003']).join('|')).not.toBe(key);
    expect(batchKeyParts('other', 'invoice.create', batch, members).join('|')).not.toBe(key);
    expect(batchKeyParts('acme', 'quote.create', batch, members).join('|')).not.toBe(key);
    expect(batchKeyParts('acme', 'invoice.create', '7d1c0a55-2222-4b6f-8e1d-000000000002', members).join('|')).not.toBe(key);
    expect(batchKeyParts('acme', 'invoice.create', batch, [members[0]]).join('|')).not.toBe(key);
  });

  it('needs at least one member', () => {
    expect(() => batchKeyParts('acme', 'invoice.create', batch, [])).toThrow(RangeError);
  });
});
