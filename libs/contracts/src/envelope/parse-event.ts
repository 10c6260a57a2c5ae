import { randomUUID } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EVENT_CATALOG, PayloadOf, Topic } from '../catalog';
import { EnvelopeFields, EventEnvelope } from './event-envelope';

export type LedgerlineEvent<T extends Topic = Topic> = EventEnvelope<T, PayloadOf<T>>;

export type ParseResult<T extends Topic> =
  | { ok: true; event: LedgerlineEvent<T> }
  | { ok: false; reason: string; violations: string[] };

const isTopic = (value: string): value is Topic => Object.prototype.hasOwnProperty.call(EVENT_CATALOG, value);

/** Flattens class-validator's tree into "path: message" lines, every violation, not just the first. */
export function describeViolations(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describeViolations(error.children ?? [], path)];
  });
}

function validatePayloadObject(target: object): string[] {
  return describeViolations(validateSync(target, { forbidUnknownValues: false, validationError: { target: false, value: false } }));
}

/**
 * Reads a message from a topic into a typed, validated event.
 * Never throws: a broken message yields every reason it is broken, for the dead-letter topic.
 */
export function parseEvent<T extends Topic>(topic: T, value: Buffer | string | null | undefined): ParseResult<T> {
  const fail = (reason: string, violations: string[] = [reason]): ParseResult<T> => ({ ok: false, reason, violations });
  if (value === null || value === undefined || value.length === 0) return fail('the message has no value');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.isBuffer(value) ? value.toString('utf8') : value);
  } catch (error) {
    return fail(`the message is not JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('the message is not a JSON object');

  const definition = EVENT_CATALOG[topic];
  const envelope = plainToInstance(EnvelopeFields, raw);
  const violations = validatePayloadObject(envelope);
  if (envelope.type !== undefined && envelope.type !== topic) {
    violations.push(`type: "${String(envelope.type)}" does not belong on topic ${topic}`);
  }
  if (typeof envelope.version === 'number' && envelope.version > definition.version) {
    violations.push(`version: ${envelope.version} of ${topic} is newer than this service understands (${definition.version})`);
  }
  const rawPayload = (raw as { payload?: unknown }).payload;
  if (typeof rawPayload === 'object' && rawPayload !== null && !Array.isArray(rawPayload)) {
    const payload = plainToInstance(definition.payload as new () => object, rawPayload);
    violations.push(...validatePayloadObject(payload).map((line) => `payload.${line}`));
    if (violations.length === 0) {
      return { ok: true, event: { ...envelope, causationId: envelope.causationId ?? null, payload } as LedgerlineEvent<T> };
    }
  }
  return fail(`the ${topic} event breaks its contract: ${violations.join('; ')}`, violations);
}

/** Validates a payload before it is published, so Ledgerline never emits what it would reject. */
export function payloadViolations<T extends Topic>(topic: T, payload: PayloadOf<T>): string[] {
  const definition = EVENT_CATALOG[topic];
  return validatePayloadObject(plainToInstance(definition.payload as new () => object, payload as object));
}

export interface EventOrigin {
  correlationId?: string;
  causationId?: string | null;
  id?: string;
  occurredAt?: Date;
}

/** Builds a new event; pass `causedBy(parent)` as origin to continue a flow. */
export function createEvent<T extends Topic>(topic: T, companyId: string, payload: PayloadOf<T>, origin: EventOrigin = {}): LedgerlineEvent<T> {
  if (!isTopic(topic)) throw new Error(`unknown topic ${String(topic)}`);
  const violations = payloadViolations(topic, payload);
  if (violations.length > 0) throw new Error(`refusing to publish an invalid ${topic} event: ${violations.join('; ')}`);
  const id = origin.id ?? randomUUID();
  return {
    id,
    type: topic,
    version: EVENT_CATALOG[topic].version,
    occurredAt: (origin.occurredAt ?? new Date()).toISOString(),
    companyId,
    correlationId: origin.correlationId ?? id,
    causationId: origin.causationId ?? null,
    payload,
  };
}

/** The origin of an event caused by `parent`: same flow, parent as cause. */
export const causedBy = (parent: Pick<EventEnvelope, 'id' | 'correlationId'>): EventOrigin => ({
  correlationId: parent.correlationId,
  causationId: parent.id,
});
