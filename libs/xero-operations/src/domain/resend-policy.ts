/** Xero remembers an Idempotency-Key for 6 minutes; the engine allows itself a margin below that. */
export const XERO_KEY_WINDOW_MS = 6 * 60_000;

export interface ResendState {
  /** Sends of this batch that may have reached Xero (none of their answers proved otherwise). */
  unprovenSends: number;
  /** When the batch's key was first sent since the last look-up (its window at Xero started then). */
  keySentAt: Date | null;
}

/**
 * Before a batch is sent again: a plain resend with the same key is safe while Xero still remembers the key
 * (it answers with the first result). Past the window, a send that may have reached Xero could have made
 * the records, and the same key would now make them twice: look them up first.
 */
export function mustLookUpBeforeResend(state: ResendState, now: Date, windowMs: number): boolean {
  if (state.unprovenSends <= 0 || state.keySentAt === null) return false;
  return now.getTime() - state.keySentAt.getTime() >= windowMs;
}
