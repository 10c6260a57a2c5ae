/** A retry the console can offer for an error: the owning service's own REST action. */
export interface RetryLink {
  service: 'documents';
  documentType: 'invoice' | 'quote' | 'purchase_order';
  requestId: string;
}

/** The failed outcome topics the console lists as errors, with the entity each concerns and the field naming the record. */
export const FAILED_OUTCOMES = {
  'invoice.failed': { entity: 'invoice', reference: 'requestId', documentType: 'invoice' },
  'quote.failed': { entity: 'quote', reference: 'requestId', documentType: 'quote' },
  'purchase_order.failed': { entity: 'purchase_order', reference: 'requestId', documentType: 'purchase_order' },
  'document.cancel_failed': { entity: 'document', reference: 'requestId', documentType: undefined },
  'contact.sync_failed': { entity: 'contact', reference: 'clientId', documentType: undefined },
  'job.sync_failed': { entity: 'job', reference: 'jobId', documentType: undefined },
} as const satisfies Record<string, { entity: string; reference: string; documentType: RetryLink['documentType'] | undefined }>;

export type FailedOutcomeTopic = keyof typeof FAILED_OUTCOMES;

export interface ErrorEntry {
  entity: string;
  reference: string | null;
  code: string | null;
  messages: string[];
  retry: RetryLink | null;
}

/** What an error list shows of a failed outcome: which record, Xero's code and messages, and how to retry it. */
export function describeFailedOutcome(topic: FailedOutcomeTopic, payload: Record<string, unknown>): ErrorEntry {
  const rule = FAILED_OUTCOMES[topic];
  const reference = typeof payload[rule.reference] === 'string' ? (payload[rule.reference] as string) : null;
  const failure = (payload['failure'] ?? {}) as { code?: unknown; messages?: unknown };
  const messages = Array.isArray(failure.messages) ? failure.messages.filter((m): m is string => typeof m === 'string') : [];
  const entity = topic === 'document.cancel_failed' && typeof payload['documentType'] === 'string' ? (payload['documentType'] as string) : rule.entity;
  // A document's create can be retried (with corrected lines) by documents; a refused cancel or a contact cannot from here.
  const retry = rule.documentType && reference ? { service: 'documents' as const, documentType: rule.documentType, requestId: reference } : null;
  return { entity, reference, code: typeof failure.code === 'string' ? failure.code : null, messages, retry };
}

/** The entity a dead letter concerns, from its original topic (`invoice.requested` → invoice). */
export function entityOfTopic(topic: string): string {
  const first = topic.split('.')[0] ?? topic;
  return first === 'client' ? 'contact' : first === 'xero' ? 'connection' : first;
}
