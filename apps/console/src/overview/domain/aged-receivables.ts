import Decimal from 'decimal.js';

export const AGED_BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export type AgedBucket = (typeof AGED_BUCKETS)[number];

const DAY_MS = 86_400_000;
const dayNumber = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

/**
 * How far past its due date an invoice is on `asOf` (both `YYYY-MM-DD`): due today or later is current, a day
 * late is 1–30. An invoice without a due date is counted as current (Xero would not call it overdue either).
 */
export function agedBucket(dueDate: string | null, asOf: string): AgedBucket {
  if (!dueDate) return 'current';
  const late = dayNumber(asOf) - dayNumber(dueDate);
  if (late <= 0) return 'current';
  if (late <= 30) return '1-30';
  if (late <= 60) return '31-60';
  if (late <= 90) return '61-90';
  return '90+';
}

export interface OpenInvoice {
  currencyCode: string;
  dueDate: string | null;
  amountDue: string;
}

export interface Receivables {
  currencyCode: string;
  outstanding: { count: number; amount: string };
  overdue: { count: number; amount: string };
  buckets: Record<AgedBucket, { count: number; amount: string }>;
}

/** Outstanding and overdue amounts with aged buckets, one summary per currency (amounts never mix currencies). */
export function summariseReceivables(invoices: OpenInvoice[], asOf: string): Receivables[] {
  const byCurrency = new Map<string, { outstanding: Tally; overdue: Tally; buckets: Record<AgedBucket, Tally> }>();
  for (const invoice of invoices) {
    const amount = new Decimal(invoice.amountDue);
    if (amount.lte(0)) continue;
    let summary = byCurrency.get(invoice.currencyCode);
    if (!summary) {
      summary = { outstanding: tally(), overdue: tally(), buckets: Object.fromEntries(AGED_BUCKETS.map((b) => [b, tally()])) as Record<AgedBucket, Tally> };
      byCurrency.set(invoice.currencyCode, summary);
    }
    const bucket = agedBucket(invoice.dueDate, asOf);
    add(summary.outstanding, amount);
    add(summary.buckets[bucket], amount);
    if (bucket !== 'current') add(summary.overdue, amount);
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currencyCode, s]) => ({
      currencyCode,
      outstanding: shown(s.outstanding),
      overdue: shown(s.overdue),
      buckets: Object.fromEntries(AGED_BUCKETS.map((b) => [b, shown(s.buckets[b])])) as Record<AgedBucket, { count: number; amount: string }>,
    }));
}

interface Tally {
  count: number;
  amount: Decimal;
}
const tally = (): Tally => ({ count: 0, amount: new Decimal(0) });
const add = (t: Tally, amount: Decimal) => {
  t.count++;
  t.amount = t.amount.plus(amount);
};
const shown = (t: Tally) => ({ count: t.count, amount: t.amount.toFixed(2) });
