/** What a poll of Xero's quotes found: each changed quote's id, status and when Xero last changed it. */
export interface PolledQuote {
  xeroId: string;
  status: string;
  /** ms since the epoch, or undefined when Xero's value could not be read. */
  updatedAt: number | undefined;
}

/** The statuses a customer's answer puts a quote in, and the event each is announced as. */
export const QUOTE_ANSWERS = { ACCEPTED: 'accepted', DECLINED: 'declined' } as const;
export type QuoteAnswerStatus = keyof typeof QUOTE_ANSWERS;

export const isQuoteAnswer = (status: string): status is QuoteAnswerStatus => Object.hasOwn(QUOTE_ANSWERS, status);

/** Xero's `/Date(1767225600000+0000)/`, an ISO string or a Date, as ms since the epoch. */
export function xeroTimestamp(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const msDate = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
  if (msDate) return Number(msDate[1]);
  const parsed = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * The If-Modified-Since for the next poll. HTTP dates carry whole seconds and Xero returns what changed strictly
 * after them, so the mark is a second before the newest change seen: a quote changed later in that same second
 * is not missed (ones seen again are recognised as unchanged). With nothing new, the mark stays.
 */
export function nextModifiedSince(previous: number | null, quotes: PolledQuote[]): number | null {
  const newest = Math.max(...quotes.map((q) => q.updatedAt ?? Number.NEGATIVE_INFINITY));
  if (!Number.isFinite(newest)) return previous;
  const mark = Math.floor(newest / 1000) * 1000 - 1000;
  return previous === null ? mark : Math.max(previous, mark);
}
