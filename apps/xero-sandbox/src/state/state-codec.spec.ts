import Decimal from 'decimal.js';
import { decodeState, encodeState } from './state-codec';

const throughJson = (value: unknown) => decodeState(JSON.parse(JSON.stringify(encodeState(value))));

describe('state codec', () => {
  it('round-trips Decimals digit for digit, including signed zero, exponents and non-finite values', () => {
    const values = ['0.1', '123456789012345678901234567890.123456789', '-0', '1e-30', '9.99e+40', '-1234.5678', 'NaN', 'Infinity', '-Infinity'].map((v) => new Decimal(v));
    const restored = throughJson(values) as Decimal[];
    restored.forEach((value, i) => {
      expect(Decimal.isDecimal(value)).toBe(true);
      expect(value.isNaN() ? 'NaN' : value.toFixed()).toBe(values[i].isNaN() ? 'NaN' : values[i].toFixed());
      expect(value.isNegative()).toBe(values[i].isNegative());
    });
    // A Decimal with a custom rounding configuration (as document totals use) keeps its value.
    const Money = Decimal.clone({ rounding: Decimal.ROUND_HALF_UP });
    expect((throughJson({ amount: new Money('33.335').toDecimalPlaces(2) }) as { amount: Decimal }).amount.toString()).toBe('33.34');
  });

  it('round-trips Dates to the millisecond and numbers JSON cannot hold', () => {
    const state = { at: new Date(Date.UTC(2026, 1, 28, 23, 59, 59, 999)), old: new Date(-1), values: [-0, NaN, Infinity, -Infinity, 0.1 + 0.2, Number.MAX_SAFE_INTEGER] };
    const restored = throughJson(state) as typeof state;
    expect(restored.at).toBeInstanceOf(Date);
    expect(restored.at.getTime()).toBe(state.at.getTime());
    expect(restored.old.getTime()).toBe(-1);
    expect(Object.is(restored.values[0], -0)).toBe(true);
    expect(restored.values.slice(1)).toEqual([NaN, Infinity, -Infinity, 0.30000000000000004, Number.MAX_SAFE_INTEGER]);
  });

  it('keeps stored data that looks like a tag, and own __proto__ keys, as they were', () => {
    const data = JSON.parse('{"a":{"$date":"not a date"},"b":{"$object":{"$number":"x"}},"__proto__":{"polluted":true},"c":{"$date":"x","other":1}}') as Record<string, unknown>;
    const restored = throughJson(data) as Record<string, unknown>;
    expect(JSON.stringify(restored)).toBe(JSON.stringify(data));
    expect(Object.getPrototypeOf(restored)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('leaves out undefined properties, as JSON does', () => {
    expect(throughJson({ a: 1, b: undefined, list: [1, undefined] })).toEqual({ a: 1, list: [1, null] });
  });

  it('refuses what is not plain data, naming where it is', () => {
    expect(() => encodeState({ clients: new Map() })).toThrow('state.clients is a Map');
    expect(() => encodeState({ a: [() => 1] })).toThrow('state.a[0] is a function');
    expect(() => encodeState({ when: new Date(NaN) })).toThrow('state.when is an invalid Date');
  });

  it('rejects malformed tags in a file', () => {
    expect(() => decodeState({ at: { $date: 'yesterday' } })).toThrow('state.at.$date is not a date');
    expect(() => decodeState({ n: { $decimal: 'ten' } })).toThrow('state.n.$decimal is not a decimal');
    expect(() => decodeState({ n: { $number: '12' } })).toThrow('state.n.$number');
    expect(() => decodeState({ n: { $date: 12 } })).toThrow('state.n.$date must be a string');
  });
});
