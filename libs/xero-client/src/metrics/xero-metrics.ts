import { counter, histogram } from '@ledgerline/messaging';

/** Every request sent to Xero, by xero-node operation and Xero's HTTP status ("none" when Xero did not answer). */
export const xeroCalls = counter({
  name: 'ledgerline_xero_calls_total',
  help: 'Requests sent to Xero, retries included, by operation and HTTP status (none: no answer)',
  labelNames: ['operation', 'status'],
});

/** Xero's own 429s (not the shared budget's refusals), by operation. */
export const xeroRateLimited = counter({
  name: 'ledgerline_xero_rate_limited_total',
  help: 'Requests Xero refused with 429 Too Many Requests, by operation',
  labelNames: ['operation'],
});

/** Time a request waited for the shared per-organisation budget before it could go to Xero. */
export const xeroBudgetWait = histogram({
  name: 'ledgerline_xero_budget_wait_seconds',
  help: 'Time spent waiting for the shared Xero rate budget before a request',
  buckets: [0.005, 0.05, 0.25, 1, 2.5, 5, 10, 30, 60],
});
