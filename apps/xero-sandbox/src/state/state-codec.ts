import Decimal from 'decimal.js';

/**
 * Turns a state snapshot into JSON-safe data and back, exactly: Dates (to the millisecond), Decimals
 * (every digit, sign of zero included) and the numbers JSON cannot hold (-0, NaN, ±Infinity) are
 * written as one-key tagged objects. A stored object that happens to look like a tag is wrapped in
 * `$object`, so data coming from API clients can never be mistaken for one.
 * As in JSON, object properties that are undefined are left out.
 */
const TAGS = new Set(['$date', '$decimal', '$number', '$object']);

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Own property even for a key like `__proto__`, which plain assignment would treat as the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function looksLikeTag(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && TAGS.has(keys[0]);
}

export function encodeState(value: unknown, at = 'state'): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? value : { $number: Object.is(value, -0) ? '-0' : String(value) };
    case 'object': {
      if (value === null) return null;
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new TypeError(`${at} is an invalid Date`);
        return { $date: value.toISOString() };
      }
      if (Decimal.isDecimal(value)) return { $decimal: value.isZero() && value.isNegative() ? '-0' : value.toString() };
      if (Array.isArray(value)) return value.map((item, i) => (item === undefined ? null : encodeState(item, `${at}[${i}]`)));
      if (!isPlainObject(value)) throw new TypeError(`${at} is a ${value.constructor?.name ?? 'class instance'}; snapshots hold plain data only`);
      const encoded: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) if (item !== undefined) setOwn(encoded, key, encodeState(item, `${at}.${key}`));
      return looksLikeTag(encoded) ? { $object: encoded } : encoded;
    }
    default:
      throw new TypeError(`${at} is a ${typeof value}; snapshots hold plain data only`);
  }
}

function decodeTag(tag: string, payload: unknown, at: string): unknown {
  if (tag === '$object') {
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new TypeError(`${at}.$object must be an object`);
    return decodeEntries(payload as Record<string, unknown>, at);
  }
  if (typeof payload !== 'string') throw new TypeError(`${at}.${tag} must be a string`);
  if (tag === '$date') {
    const date = new Date(payload);
    if (Number.isNaN(date.getTime())) throw new TypeError(`${at}.$date is not a date: "${payload}"`);
    return date;
  }
  if (tag === '$decimal') {
    try {
      return new Decimal(payload);
    } catch {
      throw new TypeError(`${at}.$decimal is not a decimal: "${payload}"`);
    }
  }
  if (!['-0', 'NaN', 'Infinity', '-Infinity'].includes(payload)) throw new TypeError(`${at}.$number is not -0, NaN or ±Infinity: "${payload}"`);
  return payload === '-0' ? -0 : Number(payload);
}

function decodeEntries(value: Record<string, unknown>, at: string): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) setOwn(decoded, key, decodeState(item, `${at}.${key}`));
  return decoded;
}

export function decodeState(value: unknown, at = 'state'): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item, i) => decodeState(item, `${at}[${i}]`));
  const record = value as Record<string, unknown>;
  if (looksLikeTag(record)) {
    const [tag] = Object.keys(record);
    return decodeTag(tag, record[tag], at);
  }
  return decodeEntries(record, at);
}
