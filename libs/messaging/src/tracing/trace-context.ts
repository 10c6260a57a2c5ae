import { Context, context, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';

/** The W3C header that carries a trace across Kafka, HTTP and the outbox. */
export const TRACEPARENT = 'traceparent';

/**
 * The W3C `traceparent` of the active context, to store beside work that continues later (an outbox row,
 * an operation). Null when nothing is being traced (without a registered propagator, injecting writes nothing)
 * and for a trace that is not sampled: nothing of it is recorded, and rows without one travel to Kafka together.
 */
export function activeTraceParent(active: Context = context.active()): string | null {
  const sampled = ((trace.getSpanContext(active)?.traceFlags ?? TraceFlags.NONE) & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
  if (!sampled) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return carrier[TRACEPARENT] ?? null;
}

/** The context a stored `traceparent` continues; the active one when none was stored. */
export function contextOfTraceParent(traceParent: string | null | undefined): Context {
  return traceParent ? propagation.extract(ROOT_CONTEXT, { [TRACEPARENT]: traceParent }) : context.active();
}

/** Runs `work` as part of the trace a stored `traceparent` names (in the active context when none was stored). */
export function withTraceParent<T>(traceParent: string | null | undefined, work: () => T): T {
  return traceParent ? context.with(contextOfTraceParent(traceParent), work) : work();
}
