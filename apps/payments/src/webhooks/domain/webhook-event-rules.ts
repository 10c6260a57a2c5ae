import { createHash } from 'node:crypto';
import { XERO_WEBHOOK_CATEGORIES, XERO_WEBHOOK_EVENT_TYPES, XeroWebhookCategory, XeroWebhookEventType, XeroWebhookReceivedPayload } from '@ledgerline/contracts';
import { eventInstant, XeroWebhookEvent } from './webhook-batch';

/** What became of one event; kept with it, and counted. */
export type WebhookEventOutcome = 'forwarded' | 'duplicate' | 'stale' | 'unrouted' | 'unknown_category';

/**
 * Xero's events carry no id. A resend (a retry, or the same change delivered again) repeats every field,
 * so the fields that describe the change identify it: organisation, category, type, resource and instant.
 * The date is taken as an instant so "…39.902" and "…39.902Z" are one event.
 */
export function webhookEventKey(event: XeroWebhookEvent): string {
  const at = eventInstant(event.eventDateUtc)?.toISOString() ?? event.eventDateUtc;
  const parts = [event.tenantId.toLowerCase(), event.eventCategory.toUpperCase(), event.eventType.toUpperCase(), event.resourceId.toLowerCase(), at];
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

export type EventKind = { known: true; category: XeroWebhookCategory; eventType: XeroWebhookEventType } | { known: false; reason: string };

/** Whether Ledgerline knows this category and event type; an unknown one is kept and logged, never forwarded. */
export function classifyEvent(event: XeroWebhookEvent): EventKind {
  const category = XERO_WEBHOOK_CATEGORIES.find((c) => c === event.eventCategory.toUpperCase());
  if (!category) return { known: false, reason: `unknown category ${event.eventCategory}` };
  const eventType = XERO_WEBHOOK_EVENT_TYPES.find((t) => t === event.eventType.toUpperCase());
  if (!eventType) return { known: false, reason: `unknown event type ${event.eventType} for ${category}` };
  return { known: true, category, eventType };
}

export interface ForwardingFacts {
  /** This very event (same key) was handled before. */
  seenBefore: boolean;
  /** The latest instant of an event already forwarded for the same resource, if any. */
  latestForwardedAt?: Date;
  eventAt: Date;
  /** Companies connected to the event's organisation now. */
  companies: string[];
}

/**
 * Decides one known event. Events are thin: whoever receives one reads the resource as it is now. An event
 * older than one already forwarded for the same resource therefore adds nothing (its reader has seen a later
 * state) and is not forwarded again; neither is a resend.
 */
export function decideForwarding(facts: ForwardingFacts): Exclude<WebhookEventOutcome, 'unknown_category'> {
  if (facts.seenBefore) return 'duplicate';
  if (facts.latestForwardedAt && facts.eventAt.getTime() < facts.latestForwardedAt.getTime()) return 'stale';
  if (facts.companies.length === 0) return 'unrouted';
  return 'forwarded';
}

/** The payload each connected company receives. */
export function receivedPayload(event: XeroWebhookEvent, kind: Extract<EventKind, { known: true }>): XeroWebhookReceivedPayload {
  const data = event.data;
  const type = typeof data?.['Type'] === 'string' ? (data['Type'] as string) : undefined;
  const status = typeof data?.['Status'] === 'string' ? (data['Status'] as string) : undefined;
  return {
    tenantId: event.tenantId,
    eventCategory: kind.category,
    eventType: kind.eventType,
    resourceId: event.resourceId,
    eventDateUtc: event.eventDateUtc,
    resourceUrl: event.resourceUrl,
    ...(type || status ? { data: { ...(type ? { type } : {}), ...(status ? { status } : {}) } } : {}),
  };
}
