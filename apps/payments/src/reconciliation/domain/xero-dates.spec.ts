import { dayOf, instantOf } from './xero-dates';

describe('Xero dates', () => {
  it('read Xero’s /Date(ms)/ form, ISO strings and Dates alike', () => {
    expect(instantOf('/Date(1772323200000+0000)/')).toBe('2026-03-01T00:00:00.000Z');
    expect(instantOf('2026-03-01T10:15:00')).toBe('2026-03-01T10:15:00.000Z');
    expect(instantOf('2026-03-01T10:15:00+01:00')).toBe('2026-03-01T09:15:00.000Z');
    expect(instantOf(new Date('2026-03-01T10:15:00Z'))).toBe('2026-03-01T10:15:00.000Z');
  });

  it('give undefined rather than a wrong instant', () => {
    expect(instantOf(undefined)).toBeUndefined();
    expect(instantOf('soon')).toBeUndefined();
    expect(instantOf(new Date(Number.NaN))).toBeUndefined();
  });

  it('give the day of a date', () => {
    expect(dayOf('/Date(1772323200000+0000)/')).toBe('2026-03-01');
    expect(dayOf('2026-03-01T00:00:00')).toBe('2026-03-01');
    expect(dayOf('2026-03-01')).toBe('2026-03-01');
  });
});
