import { ContactFieldValues } from './contact-fields';
import { agreedSnapshot, ConflictPolicy, reconcileFields, resolvedSnapshot } from './field-reconcile';

const base: ContactFieldValues = { name: 'Aroha Builders', emailAddress: 'a@aroha.test', phone: '09 555 0101' };
const run = (ledgerline: ContactFieldValues, xero: ContactFieldValues, policy: ConflictPolicy = 'most_recent', times: { l?: string; x?: string } = {}) =>
  reconcileFields({
    snapshot: agreedSnapshot(base),
    ledgerline,
    xero,
    policy,
    ...(times.l ? { ledgerlineChangedAt: new Date(times.l) } : {}),
    ...(times.x ? { xeroChangedAt: new Date(times.x) } : {}),
  });

describe('reconcileFields', () => {
  it('does nothing when neither side changed', () => {
    expect(run(base, base)).toEqual({ push: [], accept: [], conflicts: [], snapshot: agreedSnapshot(base) });
  });

  it('pushes a field changed in Ledgerline only, and nothing else', () => {
    const result = run({ ...base, emailAddress: 'b@aroha.test' }, base);
    expect(result).toMatchObject({ push: ['emailAddress'], accept: [], conflicts: [] });
    expect(result.snapshot).toEqual(agreedSnapshot({ ...base, emailAddress: 'b@aroha.test' }));
  });

  it('takes a field changed in Xero only, remembering the client value it was taken against', () => {
    const result = run(base, { ...base, phone: '09 555 0202' });
    expect(result).toMatchObject({ push: [], accept: ['phone'], conflicts: [] });
    expect(result.snapshot).toEqual({ xero: { ...base, phone: '09 555 0202' }, ledgerline: base });
  });

  it('does not push back a client value that only lags behind a change taken from Xero', () => {
    const snapshot = { xero: { ...base, phone: '09 555 0202' }, ledgerline: base };
    expect(reconcileFields({ snapshot, ledgerline: base, xero: snapshot.xero, policy: 'ledgerline_wins' })).toMatchObject({ push: [], accept: [], conflicts: [] });
  });

  it('treats the same change on both sides as agreement, not a conflict', () => {
    const result = run({ ...base, name: 'Aroha Ltd' }, { ...base, name: 'Aroha Ltd' });
    expect(result).toMatchObject({ push: [], accept: [], conflicts: [] });
    expect(result.snapshot).toEqual(agreedSnapshot({ ...base, name: 'Aroha Ltd' }));
  });

  it('sees a cleared field as a change', () => {
    expect(run({ name: 'Aroha Builders', phone: '09 555 0101' }, base).push).toEqual(['emailAddress']);
  });

  describe('a field changed differently on both sides', () => {
    const ledgerline = { ...base, emailAddress: 'ledgerline@aroha.test', phone: '09 555 0303' };
    const xero = { ...base, emailAddress: 'xero@aroha.test' };
    const conflict = { field: 'emailAddress', base: 'a@aroha.test', ledgerline: 'ledgerline@aroha.test', xero: 'xero@aroha.test' };

    it('ledgerline_wins pushes the client value', () => {
      expect(run(ledgerline, xero, 'ledgerline_wins')).toMatchObject({ push: ['emailAddress', 'phone'], accept: [], conflicts: [{ ...conflict, winner: 'ledgerline' }] });
    });

    it('xero_wins takes the Xero value, and still pushes the other side’s one-sided change', () => {
      expect(run(ledgerline, xero, 'xero_wins')).toMatchObject({ push: ['phone'], accept: ['emailAddress'], conflicts: [{ ...conflict, winner: 'xero' }] });
    });

    it('most_recent takes the side that changed last', () => {
      expect(run(ledgerline, xero, 'most_recent', { l: '2026-01-01T10:00:00Z', x: '2026-01-01T11:00:00Z' }).conflicts[0].winner).toBe('xero');
      expect(run(ledgerline, xero, 'most_recent', { l: '2026-01-01T12:00:00Z', x: '2026-01-01T11:00:00Z' }).conflicts[0].winner).toBe('ledgerline');
    });

    it('manual decides nothing and leaves the field as it was', () => {
      const result = run(ledgerline, xero, 'manual');
      expect(result).toMatchObject({ push: ['phone'], accept: [], conflicts: [conflict] });
      expect(result.conflicts[0].winner).toBeUndefined();
      expect(result.snapshot.xero.emailAddress).toBe('a@aroha.test');
    });

    it('leaves fields a person is deciding alone', () => {
      expect(reconcileFields({ snapshot: agreedSnapshot(base), ledgerline, xero, policy: 'manual', held: new Set(['emailAddress']) })).toMatchObject({
        push: ['phone'],
        conflicts: [],
      });
    });
  });
});

describe('resolvedSnapshot', () => {
  const conflict = { field: 'emailAddress' as const, base: 'a@aroha.test', ledgerline: 'l@aroha.test', xero: 'x@aroha.test' };

  it('keeping Xero: nothing left to push or take afterwards', () => {
    const snapshot = resolvedSnapshot(agreedSnapshot(base), [conflict], { emailAddress: 'xero' });
    expect(
      reconcileFields({ snapshot, ledgerline: { ...base, emailAddress: 'l@aroha.test' }, xero: { ...base, emailAddress: 'x@aroha.test' }, policy: 'manual' }),
    ).toMatchObject({ push: [], accept: [], conflicts: [] });
  });

  it('keeping Ledgerline: the client value is pushed', () => {
    const snapshot = resolvedSnapshot(agreedSnapshot(base), [conflict], { emailAddress: 'ledgerline' });
    expect(
      reconcileFields({ snapshot, ledgerline: { ...base, emailAddress: 'l@aroha.test' }, xero: { ...base, emailAddress: 'x@aroha.test' }, policy: 'manual' }),
    ).toMatchObject({ push: ['emailAddress'], accept: [], conflicts: [] });
  });
});
