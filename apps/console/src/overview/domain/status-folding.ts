/**
 * Folding the outcome events of one record into its status. Events about one record arrive on different topics
 * (and so different partitions), so they may come in any order: a status moves forward by stage, and within a
 * stage the later event wins. A record never moves back a stage (a late `invoice.created` does not undo its
 * `invoice.paid`).
 */
export interface StatusAt {
  status: string;
  at: string;
}

export const INVOICE_STAGES: Record<string, number> = {
  requested: 0,
  failed: 1,
  raised: 2,
  partially_paid: 3,
  paid: 3,
  unpaid: 3,
  voided: 4,
  deleted: 4,
  cancelled: 4,
};

export const QUOTE_STAGES: Record<string, number> = {
  requested: 0,
  failed: 1,
  draft: 2,
  submitted: 2,
  sent: 2,
  accepted: 3,
  declined: 3,
  invoiced: 4,
  cancelled: 5,
  deleted: 5,
};

export const JOB_STAGES: Record<string, number> = {
  assigned: 0,
  sync_failed: 1,
  in_progress: 2,
  inprogress: 2,
  completed: 3,
  closed: 3,
  cancelled: 3,
};

/** Whether `next` replaces `current` under `stages`; a status the stages do not know sits with the first stage. */
export function supersedes(stages: Record<string, number>, current: StatusAt | null, next: StatusAt): boolean {
  if (!current) return true;
  const from = stages[current.status] ?? 0;
  const to = stages[next.status] ?? 0;
  if (to !== from) return to > from;
  return Date.parse(next.at) >= Date.parse(current.at);
}

/** Counts per status, every known status present (zero when none), so a dashboard shows the same rows each time. */
export function countByStatus(rows: { status: string; count: number }[], shown: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(shown.map((s) => [s, 0]));
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + row.count;
  return counts;
}
