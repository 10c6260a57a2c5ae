/** The flow fields of an event envelope. */
export interface FlowEvent {
  id: string;
  correlationId: string;
}

/** Where an answer belongs: the flow it continues and the event that caused it. */
export interface AnswerOrigin {
  correlationId: string;
  causationId: string;
}

/**
 * The answer to a `client.upserted` is caused by it. When a sync request was parked waiting for this client, that
 * request's flow (an invoice, say) is the one waiting for the answer, so the answer carries its correlation id.
 */
export function upsertAnswerOrigin(upsert: FlowEvent, parked?: { correlationId: string }): AnswerOrigin {
  return { correlationId: parked?.correlationId ?? upsert.correlationId, causationId: upsert.id };
}

const UNITS = [
  { ms: 86_400_000, name: 'day' },
  { ms: 3_600_000, name: 'hour' },
  { ms: 60_000, name: 'minute' },
  { ms: 1_000, name: 'second' },
] as const;

/** A wait in words, in the largest unit that divides it ("15 minutes", "2 days"); else in seconds ("1.5 seconds"). */
export function describeWait(ms: number): string {
  const unit = UNITS.find((u) => ms >= u.ms && ms % u.ms === 0);
  const [count, name] = unit ? [ms / unit.ms, unit.name] : [ms / 1_000, 'second'];
  return `${count} ${name}${count === 1 ? '' : 's'}`;
}

/** The `CLIENT_UNKNOWN` message for a request whose client did not arrive within the wait. */
export function unknownClientMessage(clientId: string, waitMs: number): string {
  return `Client ${clientId} is unknown to Ledgerline: no client.upserted for it arrived within ${describeWait(waitMs)} of the sync request`;
}
