import { formatAmount, minorUnits, toDecimal } from './money';

describe('reconciliation amounts', () => {
  it('read Xero’s numbers exactly, without binary arithmetic', () => {
    expect(toDecimal(0.1).plus(toDecimal(0.2)).toString()).toBe('0.3');
    expect(toDecimal('115.50').equals(toDecimal(115.5))).toBe(true);
  });

  it('refuse what is not an amount', () => {
    expect(() => toDecimal(Number.NaN)).toThrow(RangeError);
    expect(() => toDecimal('abc')).toThrow();
  });

  it('are written with the currency’s minor unit', () => {
    expect(formatAmount(toDecimal(115.5), 'NZD')).toBe('115.50');
    expect(formatAmount(toDecimal(0), 'AUD')).toBe('0.00');
    expect(formatAmount(toDecimal(1200), 'JPY')).toBe('1200');
    expect(formatAmount(toDecimal(1.25), 'KWD')).toBe('1.250');
    expect(formatAmount(toDecimal(-20), 'nzd')).toBe('-20.00');
    expect(minorUnits('XYZ')).toBe(2);
  });
});
