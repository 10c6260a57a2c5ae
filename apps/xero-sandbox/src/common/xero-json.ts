import { randomUUID } from 'node:crypto';

/** Xero's JSON dates: `/Date(1700000000000+0000)/`. */
export function msDate(epochMs: number): string {
  return `/Date(${Math.trunc(epochMs)}+0000)/`;
}

const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

export function isMsDate(value: unknown): value is string {
  return typeof value === 'string' && MS_DATE.test(value);
}

/**
 * Accepts what clients send for a date: `/Date(ms+0000)/`, `YYYY-MM-DD`, or an ISO date-time.
 * Returns epoch milliseconds, or undefined when the value is not a date.
 */
export function parseXeroDate(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const ms = MS_DATE.exec(value);
  if (ms) return Number(ms[1]);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00Z`);
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const parsed = Date.parse(hasZone ? value : `${value}Z`);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** Start of the UTC day, as Xero stores document dates. */
export function startOfUtcDay(epochMs: number): number {
  const date = new Date(epochMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

/** `2018-10-20T00:00:00`, the companion `DateString` field Xero sends next to document dates. */
export function dateString(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

/** Xero identity dates: `2019-12-07T18:46:19.5165400` (seven fraction digits, no offset, UTC). */
export function identityDate(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 23)}0000`;
}

/** The envelope Xero wraps every accounting response in. */
export function envelope(now: number, body: Record<string, unknown>): Record<string, unknown> {
  return {
    Id: randomUUID(),
    Status: 'OK',
    ProviderName: 'Ledgerline Xero Sandbox',
    DateTimeUTC: msDate(now),
    ...body,
  };
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
