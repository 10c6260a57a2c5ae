/** What a response told us about Xero's view of the budget, fed back when a permit is released. */
export interface BudgetObservation {
  /** Lower-cased response headers (only the X-*-Remaining ones are read). */
  headers?: Record<string, string>;
  /** Present when Xero answered 429. */
  rateLimited?: { retryAfterMs?: number; limit?: string };
}

export interface BudgetPermit {
  release(observation?: BudgetObservation): Promise<void>;
}

/** Port: permission to make one call to one organisation now. */
export interface RequestBudget {
  acquire(tenantId: string): Promise<BudgetPermit>;
  close?(): Promise<void>;
}
