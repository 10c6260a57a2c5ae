import Decimal from 'decimal.js';

/**
 * Currencies whose minor unit is not the cent (ISO 4217). Xero keeps amounts to the currency's minor
 * unit, so an amount is announced with exactly that many decimals ("115.50", "1200" in JPY).
 */
const MINOR_UNITS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export const minorUnits = (currencyCode: string): number => MINOR_UNITS[currencyCode.toUpperCase()] ?? 2;

/**
 * An amount as Xero gives it (a JSON number such as 115.5) or as Ledgerline keeps it (a decimal string),
 * read exactly: a number goes through its shortest string form, never through binary arithmetic.
 */
export function toDecimal(value: number | string): Decimal {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`${value} is not an amount`);
  const decimal = new Decimal(typeof value === 'number' ? String(value) : value.trim());
  if (!decimal.isFinite()) throw new RangeError(`${value} is not an amount`);
  return decimal;
}

/** The decimal string of an amount in its currency: "115.50" NZD, "1200" JPY, "1.250" KWD. */
export function formatAmount(value: Decimal.Value, currencyCode: string): string {
  const decimal = new Decimal(value);
  // Rounding only ever removes digits Xero would not have sent; half away from zero, as Xero rounds.
  return decimal.toDecimalPlaces(minorUnits(currencyCode), Decimal.ROUND_HALF_UP).toFixed(minorUnits(currencyCode));
}
