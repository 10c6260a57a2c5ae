/** One event as Xero sends it: thin, it names the resource that changed and nothing more (credit notes add a little data). */
export interface XeroWebhookEvent {
  resourceUrl: string;
  resourceId: string;
  eventDateUtc: string;
  eventType: string;
  eventCategory: string;
  tenantId: string;
  tenantType: string;
  data?: Record<string, unknown>;
}

export interface XeroWebhookBatch {
  events: XeroWebhookEvent[];
  firstEventSequence: number;
  lastEventSequence: number;
  entropy: string;
}

export type BatchParseResult = { ok: true; batch: XeroWebhookBatch } | { ok: false; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Xero writes event dates without a zone ("2024-06-21T01:15:39.902"); they are UTC. */
const EVENT_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})?$/;
/** Far more than Xero puts in one delivery; a bigger batch is not Xero's. */
export const MAX_EVENTS_PER_BATCH = 5_000;
const MAX_TEXT = 2_000;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isSequence = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 2_147_483_647;

/** The instant of an event date, reading a zone-less one as UTC; undefined when it is not a date. */
export function eventInstant(eventDateUtc: string): Date | undefined {
  if (!EVENT_DATE.test(eventDateUtc)) return undefined;
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(eventDateUtc) ? eventDateUtc : `${eventDateUtc}Z`;
  // Date keeps milliseconds only: Xero's dates have three digits at most; more are cut, not rounded.
  const date = new Date(zoned.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function eventProblem(event: unknown, index: number): string | undefined {
  const at = `events[${index}]`;
  if (!isObject(event)) return `${at} is not an object`;
  for (const field of ['resourceUrl', 'resourceId', 'eventDateUtc', 'eventType', 'eventCategory', 'tenantId', 'tenantType'] as const) {
    const value = event[field];
    if (typeof value !== 'string' || value.trim() === '') return `${at}.${field} is missing or not a string`;
    if (value.length > MAX_TEXT) return `${at}.${field} is longer than ${MAX_TEXT} characters`;
  }
  if (!UUID.test(event['tenantId'] as string)) return `${at}.tenantId is not a uuid`;
  if (!UUID.test(event['resourceId'] as string)) return `${at}.resourceId is not a uuid`;
  if (!eventInstant(event['eventDateUtc'] as string)) return `${at}.eventDateUtc is not a date-time`;
  if (event['data'] !== undefined && !isObject(event['data'])) return `${at}.data is not an object`;
  return undefined;
}

/**
 * Reads a delivery's bytes as Xero's webhook body (its OpenAPI `WebhookEvent`), or says why it is not one.
 * Categories and event types are not checked here: a new one is Xero's right and must not fail the batch.
 */
export function parseWebhookBatch(rawBody: Buffer): BatchParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `the body is not JSON: ${(error as Error).message}` };
  }
  if (!isObject(raw)) return { ok: false, reason: 'the body is not a JSON object' };
  if (!Array.isArray(raw['events'])) return { ok: false, reason: 'events is missing or not a list' };
  if (raw['events'].length > MAX_EVENTS_PER_BATCH) return { ok: false, reason: `more than ${MAX_EVENTS_PER_BATCH} events in one delivery` };
  // The intent-to-receive batch is numbered 0; real deliveries start at 1.
  if (!isSequence(raw['firstEventSequence'])) return { ok: false, reason: 'firstEventSequence is missing or not a whole number' };
  if (!isSequence(raw['lastEventSequence'])) return { ok: false, reason: 'lastEventSequence is missing or not a whole number' };
  if (typeof raw['entropy'] !== 'string') return { ok: false, reason: 'entropy is missing or not a string' };
  for (const [index, event] of raw['events'].entries()) {
    const problem = eventProblem(event, index);
    if (problem) return { ok: false, reason: problem };
  }
  return {
    ok: true,
    batch: {
      events: (raw['events'] as Record<string, unknown>[]).map((event) => ({
        resourceUrl: event['resourceUrl'] as string,
        resourceId: (event['resourceId'] as string).toLowerCase(),
        eventDateUtc: event['eventDateUtc'] as string,
        eventType: event['eventType'] as string,
        eventCategory: event['eventCategory'] as string,
        tenantId: (event['tenantId'] as string).toLowerCase(),
        tenantType: event['tenantType'] as string,
        ...(event['data'] !== undefined ? { data: event['data'] as Record<string, unknown> } : {}),
      })),
      firstEventSequence: raw['firstEventSequence'] as number,
      lastEventSequence: raw['lastEventSequence'] as number,
      entropy: raw['entropy'],
    },
  };
}
