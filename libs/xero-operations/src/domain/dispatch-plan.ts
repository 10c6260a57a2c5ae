/** One company's ready operations of one kind, as the worker sees them when it plans its next calls. */
export interface ReadyCompany {
  companyId: string;
  ready: number;
  /** When the longest-waiting ready operation became ready. */
  oldestReadyAt: Date;
  /** Batches of this company and kind on their way to Xero now (optional: none when left out). */
  inFlight?: number;
}

export interface PlannedBatch {
  companyId: string;
  size: number;
}

export interface PlanOptions {
  /** Operations per Xero call (Xero takes at most 50; 1 for kinds that are single calls). */
  batchSize: number;
  /** How long a company's first ready operation may wait for others to fill a batch. */
  lingerMs: number;
  /** How many calls may start now. */
  slots: number;
}

/**
 * Which batches to form now. A company with a full batch ready sends it at once; a company with less
 * sends what it has once its oldest ready operation has waited `lingerMs` and none of its batches is on its
 * way to Xero (the answer comes soon, and what arrives meanwhile joins the next batch), so a burst of
 * requests goes to Xero in a few full calls rather than many small ones, however slowly it arrives. Slots are shared fairly: one batch per company
 * per round, the longest-waiting company first, so a busy company cannot starve a quiet one.
 */
export function planDispatch(companies: readonly ReadyCompany[], now: Date, options: PlanOptions): PlannedBatch[] {
  const { batchSize, lingerMs, slots } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive whole number');
  const queues = [...companies]
    .filter((c) => c.ready > 0)
    .sort((a, b) => a.oldestReadyAt.getTime() - b.oldestReadyAt.getTime() || a.companyId.localeCompare(b.companyId))
    .map((c) => {
      const due = now.getTime() - c.oldestReadyAt.getTime() >= lingerMs;
      const full = Math.floor(c.ready / batchSize);
      const sizes = Array<number>(full).fill(batchSize);
      const rest = c.ready - full * batchSize;
      if (due && rest > 0 && !(c.inFlight && c.inFlight > 0)) sizes.push(rest);
      return { companyId: c.companyId, sizes };
    });

  const plan: PlannedBatch[] = [];
  for (let round = 0; plan.length < slots; round++) {
    let added = false;
    for (const queue of queues) {
      if (plan.length >= slots) break;
      const size = queue.sizes[round];
      if (size === undefined) continue;
      plan.push({ companyId: queue.companyId, size });
      added = true;
    }
    if (!added) break;
  }
  return plan;
}

/** The delay before a batch is resent after a transient failure: doubling, capped, with half of it random. */
export function resendDelayMs(tries: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, tries - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * What a batch's Idempotency-Key is derived from: the company, the operation kind, the batch (stored before its
 * first send) and each member operation's id, in order. The same batch always has the same key (across retries
 * and restarts); a retried request (a new operation) or an operation sent again in a later batch (after waiting
 * for a connection, or after a look-up) never shares a key with an earlier send.
 */
export function batchKeyParts(companyId: string, kind: string, batchId: string, operationIds: readonly string[]): string[] {
  if (operationIds.length === 0) throw new RangeError('a batch needs at least one member');
  return ['operations', companyId, kind, batchId, ...operationIds];
}
