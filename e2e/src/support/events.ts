import { ClientUpsertedPayload, createEvent, InvoiceRequestedPayload, LineItem, Topics } from '@ledgerline/contracts';
import { Platform } from './platform';

export const standardLines = (): LineItem[] => [
  { description: 'Call-out and diagnosis', quantity: '2', unitAmount: '85.00', accountCode: '200', taxType: 'OUTPUT2' },
  { description: 'Replacement valve', quantity: '1', unitAmount: '120.50', accountCode: '200', taxType: 'OUTPUT2' },
];

export function clientUpserted(clientId: string, name: string, email?: string): ClientUpsertedPayload {
  return { clientId, name, email, updatedAt: new Date().toISOString() };
}

export function invoiceRequested(requestId: string, clientId: string, lineItems: LineItem[] = standardLines()): InvoiceRequestedPayload {
  return {
    requestId,
    clientId,
    lineItems,
    reference: requestId,
    date: '2026-11-20',
    dueDate: '2026-12-20',
    currencyCode: 'NZD',
    lineAmountTypes: 'Exclusive',
    status: 'AUTHORISED',
  };
}

/** Publishes events as an internal system would: validated envelopes, keyed by company. Returns the raw values sent. */
export async function publish<T extends typeof Topics.ClientUpserted | typeof Topics.InvoiceRequested>(
  platform: Platform,
  topic: T,
  companyId: string,
  payloads: (T extends typeof Topics.ClientUpserted ? ClientUpsertedPayload : InvoiceRequestedPayload)[],
): Promise<string[]> {
  const values = payloads.map((payload) => JSON.stringify(createEvent(topic, companyId, payload as never)));
  await platform.probe.send(platform.topic(topic), values.map((value) => ({ key: companyId, value })));
  return values;
}
