/** Xero's dates come back as Dates, ISO strings or its own `/Date(1700000000000+0000)/`; these read all three. */
const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/** The instant as an ISO string, or undefined when there is none or it cannot be read. */
export function instantOf(value: Date | string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  const ms = MS_DATE.exec(value.trim());
  const date = ms ? new Date(Number(ms[1])) : new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The calendar day (YYYY-MM-DD) of a Xero date; Xero's dates carry no time of day that matters. */
export function dayOf(value: Date | string | undefined | null): string | undefined {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value.trim())) return value.trim().slice(0, 10);
  return instantOf(value)?.slice(0, 10);
}
