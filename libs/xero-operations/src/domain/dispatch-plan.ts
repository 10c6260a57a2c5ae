/** One company's ready operations of one kind, as the worker sees them when it plans its next calls. */
export interface ReadyCompany {
  companyId: string;
  ready: number;
  /** When the longest-waiting ready operation became ready. */
  oldestReadyAt: Date;
  /** Batches of this company and kind on their way to Xero now (optional: none when left out). */
  inFlight?: number;
  /** When this process last formed a batch of this company and kind (optional: long ago when left out). */
  lastFormedAt?: Date;
  /** Whether this process is still handling the company's incoming events (the rest of a burst is on its way). */
  arriving?: boolean;
}

export interface PlannedBatch {
  companyId: string;
  size: number;
}

export interface PlanOptions {
  /** Operations per Xero call (Xero takes at most 50; 1 for kinds that are single calls). */
  batchSize: number;
  /** How long a batch gathers after one of the same company and kind was formed, pacing a steady stream. */
  lingerMs: number;
  /** The longest a ready operation waits for its batch to fill while its company's requests keep arriving. */
  maxWaitMs: number;
  /** How many calls may start now. */
  slots: number;
}

/**
 * When a company's ready operations that do not fill a batch may go (ms since the epoch; undefined while one of
 * its batches is on its way, whose answer wakes the worker):
 *
 * - **At once** when nothing is forming: the company's requests are not arriving now (its events have all been
 *   handled) and it formed no batch of this kind in the last `lingerMs`. Waiting would only add latency.
 * - **Once the oldest has waited `lingerMs`** when a batch was formed moments ago: a steady stream goes in a
 *   batch per linger, not a call per request.
 * - **Once the batch is full, or its oldest has waited `maxWaitMs`**, while the company's requests keep arriving:
 *   a burst goes in full batches however slowly it is handled, and still at least one batch per `maxWaitMs`.
 * - **Never while one of its batches is on its way**: its permits are in use, and what arrives meanwhile joins
 *   the next batch, formed when the answer comes.
 *
 * Full batches are never held (see `planDispatch`).
 */
export function partialDueAt(company: ReadyCompany, options: Pick<PlanOptions, 'lingerMs' | 'maxWaitMs'>, now: Date): number | undefined {
  if (company.inFlight && company.inFlight > 0) return undefined;
  const oldest = company.oldestReadyAt.getTime();
  const latest = oldest + Math.max(options.lingerMs, options.maxWaitMs);
  if (company.arriving) return latest;
  const formedRecently = company.lastFormedAt !== undefined && now.getTime() - company.lastFormedAt.getTime() < options.lingerMs;
  return formedRecently ? Math.min(latest, oldest + options.lingerMs) : now.getTime();
}

/**
 * Which batches to form now. A company with a full batch ready sends it at once; what does not fill a batch goes
 * as `partialDueAt` says. Slots are shared fairly: one batch per company per round, the longest-waiting company
 * first, so a busy company cannot starve a quiet one.
 */
export function planDispatch(companies: readonly ReadyCompany[], now: Date, options: PlanOptions): PlannedBatch[] {
  const { batchSize, slots } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive whole number');
  const queues = [...companies]
    .filter((c) => c.ready > 0)
    .sort((a, b) => a.oldestReadyAt.getTime() - b.oldestReadyAt.getTime() || a.companyId.localeCompare(b.companyId))
    .map((c) => {
      const full = Math.floor(c.ready / batchSize);
      const sizes = Array<number>(full).fill(batchSize);
      const rest = c.ready - full * batchSize;
      const dueAt = rest > 0 ? partialDueAt(c, options, now) : undefined;
      if (dueAt !== undefined && dueAt <= now.getTime()) sizes.push(rest);
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

/**
 * How long until the next gathering batch becomes due, so the worker wakes then instead of at its next poll.
 * Companies with a batch on their way are left out (its answer wakes the worker), and so are those already due
 * (they went in this round, or wait for a slot, which a finished call frees).
 */
export function msUntilNextDue(companies: readonly ReadyCompany[], now: Date, options: Pick<PlanOptions, 'batchSize' | 'lingerMs' | 'maxWaitMs'>): number | undefined {
  let next: number | undefined;
  for (const c of companies) {
    if (c.ready <= 0 || c.ready % options.batchSize === 0) continue;
    const dueAt = partialDueAt(c, options, now);
    if (dueAt === undefined) continue;
    const ms = dueAt - now.getTime();
    if (ms > 0 && (next === undefined || ms < next)) next = ms;
  }
  return next;
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
