import { XeroWebhookEvent } from './webhook-batch';
import { classifyEvent, decideForwarding, receivedPayload, webhookEventKey } from './webhook-event-rules';

const event = (overrides: Partial<XeroWebhookEvent> = {}): XeroWebhookEvent => ({
  resourceUrl: 'https://api.xero.com/api.xro/2.0/Invoices/0f4f7c1e-2b7e-4a59-9a3c-6a0a4d1f9e01',
  resourceId: '0f4f7c1e-2b7e-4a59-9a3c-6a0a4d1f9e01',
  eventDateUtc: '2026-11-20T10:00:00.123',
  eventType: 'UPDATE',
  eventCategory: 'INVOICE',
  tenantId: '4f6b5b6e-0d1c-4c64-9a51-5a3f0c2d7e10',
  tenantType: 'ORGANISATION',
  ...overrides,
});
const at = (iso: string) => new Date(iso);

describe('webhook event rules', () => {
  it('give a resend the same key, whatever the case of ids or the spelling of the zone', () => {
    const original = webhookEventKey(event());
    expect(webhookEventKey(event({ eventDateUtc: '2026-11-20T10:00:00.123Z', resourceId: event().resourceId.toUpperCase() }))).toBe(original);
    expect(webhookEventKey(event({ resourceUrl: 'https://elsewhere.example/x' }))).toBe(original);
  });

  it('give another change another key', () => {
    const original = webhookEventKey(event());
    expect(webhookEventKey(event({ eventDateUtc: '2026-11-20T10:00:00.124' }))).not.toBe(original);
    expect(webhookEventKey(event({ eventType: 'CREATE' }))).not.toBe(original);
    expect(webhookEventKey(event({ tenantId: '9f6b5b6e-0d1c-4c64-9a51-5a3f0c2d7e10' }))).not.toBe(original);
  });

  it.each(['INVOICE', 'CONTACT', 'CREDITNOTE', 'PAYMENT', 'PREPAYMENT', 'OVERPAYMENT', 'SUBSCRIPTION'])('know the %s category', (category) => {
    expect(classifyEvent(event({ eventCategory: category }))).toEqual({ known: true, category, eventType: 'UPDATE' });
  });

  it('name what they do not know', () => {
    expect(classifyEvent(event({ eventCategory: 'TIMESHEET' }))).toEqual({ known: false, reason: 'unknown category TIMESHEET' });
    expect(classifyEvent(event({ eventType: 'DELETE' }))).toEqual({ known: false, reason: 'unknown event type DELETE for INVOICE' });
  });

  it('forward a new event to the connected companies', () => {
    expect(decideForwarding({ seenBefore: false, eventAt: at('2026-11-20T10:00:00Z'), companies: ['a', 'b'] })).toBe('forwarded');
  });

  it('forward nothing the second time', () => {
    expect(decideForwarding({ seenBefore: true, eventAt: at('2026-11-20T10:00:00Z'), companies: ['a'] })).toBe('duplicate');
  });

  it('forward nothing older than what was already forwarded for the resource', () => {
    const latestForwardedAt = at('2026-11-20T10:05:00Z');
    expect(decideForwarding({ seenBefore: false, latestForwardedAt, eventAt: at('2026-11-20T10:00:00Z'), companies: ['a'] })).toBe('stale');
    expect(decideForwarding({ seenBefore: false, latestForwardedAt, eventAt: at('2026-11-20T10:05:00Z'), companies: ['a'] })).toBe('forwarded');
    expect(decideForwarding({ seenBefore: false, latestForwardedAt, eventAt: at('2026-11-20T10:06:00Z'), companies: ['a'] })).toBe('forwarded');
  });

  it('drop an event no company is connected to', () => {
    expect(decideForwarding({ seenBefore: false, eventAt: at('2026-11-20T10:00:00Z'), companies: [] })).toBe('unrouted');
  });

  it('pass a credit note’s type and status on', () => {
    const creditNote = event({ eventCategory: 'CREDITNOTE', data: { Type: 'ACCRECCREDIT', Status: 'AUTHORISED' } });
    const kind = classifyEvent(creditNote);
    if (!kind.known) throw new Error('CREDITNOTE is known');
    expect(receivedPayload(creditNote, kind)).toEqual({
      tenantId: creditNote.tenantId,
      eventCategory: 'CREDITNOTE',
      eventType: 'UPDATE',
      resourceId: creditNote.resourceId,
      eventDateUtc: creditNote.eventDateUtc,
      resourceUrl: creditNote.resourceUrl,
      data: { type: 'ACCRECCREDIT', status: 'AUTHORISED' },
    });
  });
});
