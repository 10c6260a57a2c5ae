import { AsyncLocalStorage } from 'node:async_hooks';

/** What the Xero calls made inside one `meterXeroCalls` scope added up to. */
export interface XeroCallTally {
  /** HTTP requests sent to Xero, retries included. */
  calls: number;
  /** The status of Xero's last answer (undefined while Xero has not answered at all). */
  lastStatus?: number;
}

const scope = new AsyncLocalStorage<XeroCallTally>();

/**
 * Runs `work` and counts every request the Xero client sends while it runs (however deep, retries
 * included), so a caller such as the operations engine can record the calls an attempt used. The tally
 * is filled in whether `done` resolves or rejects.
 */
export function meterXeroCalls<T>(work: () => Promise<T>): { tally: XeroCallTally; done: Promise<T> } {
  const tally: XeroCallTally = { calls: 0 };
  return { tally, done: scope.run(tally, work) };
}

/** The executor's hook: one request went out and Xero answered `status` (undefined for no answer). */
export function countXeroCall(status: number | undefined): void {
  const tally = scope.getStore();
  if (!tally) return;
  tally.calls += 1;
  if (status !== undefined) tally.lastStatus = status;
}
