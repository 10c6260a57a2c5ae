import { randomUUID } from 'node:crypto';
import { EVENT_CATALOG, Topics } from '../catalog';
import { causedBy, createEvent, parseEvent } from './parse-event';

const invoicePayload = {
  requestId: 'req-1',
  clientId: 'client-1',
  lineItems: [{ description: 'Call-out', quantity: '2', unitAmount: '85.00', accountCode: '200', taxType: 'OUTPUT2' }],
  date: '2026-11-20',
  currencyCode: 'NZD',
  status: 'AUTHORISED',
};

const envelope = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  type: Topics.InvoiceRequested,
  version: 1,
  occurredAt: '2026-11-20T10:00:00.000Z',
  companyId: 'acme',
  correlationId: 'corr-1',
  causationId: null,
  payload: invoicePayload,
  ...overrides,
});

describe('parseEvent', () => {
  it('accepts a valid event and returns typed payload instances', () => {
    const result = parseEvent(Topics.InvoiceRequested, Buffer.from(JSON.stringify(envelope())));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event.payload.lineItems[0].unitAmount).toBe('85.00');
    expect(result.event.payload.constructor.name).toBe('InvoiceRequestedPayload');
  });

  it('says a message that is not JSON is not JSON', () => {
    const result = parseEvent(Topics.InvoiceRequested, Buffer.from('{not json'));
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(result.reason).toMatch(/^the message is not JSON/);
  });

  it('rejects an empty message and a JSON array', () => {
    expect(parseEvent(Topics.InvoiceRequested, null)).toMatchObject({ ok: false, reason: 'the message has no value' });
    expect(parseEvent(Topics.InvoiceRequested, '[1]')).toMatchObject({ ok: false, reason: 'the message is not a JSON object' });
  });

  it('reports every violation with its path, not just the first', () => {
    const broken = envelope({
      id: 'not-a-uuid',
      companyId: '',
      payload: { ...invoicePayload, currencyCode: 'DOLLARS', lineItems: [{ description: '', quantity: 'two', unitAmount: '1.5' }] },
    });
    const result = parseEvent(Topics.InvoiceRequested, JSON.stringify(broken));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.violations).toEqual(
      expect.arrayContaining([
        'id: id must be a UUID',
        expect.stringMatching(/^companyId: /),
        expect.stringMatching(/^payload\.currencyCode: /),
        expect.stringMatching(/^payload\.lineItems\[0\]\.description: /),
        'payload.lineItems[0].quantity: quantity must be a decimal string such as "12.50" (at most 4 decimal places)',
      ]),
    );
    expect(result.reason).toContain('breaks its contract');
  });

  it('rejects an event of another type on this topic and a version from the future', () => {
    const wrongType = parseEvent(Topics.InvoiceRequested, JSON.stringify(envelope({ type: Topics.QuoteRequested })));
    expect(wrongType.ok || wrongType.violations).toContain('type: "quote.requested" does not belong on topic invoice.requested');
    const future = parseEvent(Topics.InvoiceRequested, JSON.stringify(envelope({ version: 2 })));
    expect(future.ok || future.violations.join()).toMatch(/version: 2 of invoice.requested is newer/);
  });

  it('reports a missing payload', () => {
    const result = parseEvent(Topics.InvoiceRequested, JSON.stringify(envelope({ payload: undefined })));
    expect(result.ok || result.violations).toContain('payload: payload must be an object');
  });
});

describe('createEvent', () => {
  it('builds an envelope that parses back unchanged', () => {
    const event = createEvent(Topics.ContactSyncRequested, 'acme', { clientId: 'client-9' });
    const parsed = parseEvent(Topics.ContactSyncRequested, JSON.stringify(event));
    expect(parsed).toMatchObject({ ok: true, event: { id: event.id, correlationId: event.id, causationId: null, version: 1 } });
  });

  it('continues a flow with the parent as cause', () => {
    const parent = createEvent(Topics.ContactSyncRequested, 'acme', { clientId: 'client-9' });
    const child = createEvent(
      Topics.ContactSynced,
      'acme',
      { clientId: 'client-9', xeroContactId: randomUUID(), contactName: 'Client Nine', action: 'created' },
      causedBy(parent),
    );
    expect(child.correlationId).toBe(parent.correlationId);
    expect(child.causationId).toBe(parent.id);
  });

  it('refuses to build an event that breaks its own contract', () => {
    expect(() => createEvent(Topics.ContactSyncRequested, 'acme', { clientId: '' })).toThrow(/invalid contact.sync_requested event: clientId/);
  });
});

describe('EVENT_CATALOG', () => {
  it('has a payload class and a version for every topic', () => {
    for (const topic of Object.values(Topics)) {
      expect(EVENT_CATALOG[topic].version).toBeGreaterThanOrEqual(1);
      expect(typeof EVENT_CATALOG[topic].payload).toBe('function');
    }
  });
});
