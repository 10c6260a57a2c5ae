import { eventInstant, parseWebhookBatch, XeroWebhookBatch } from './webhook-batch';

const TENANT = '4f6b5b6e-0d1c-4c64-9a51-5a3f0c2d7e10';
const RESOURCE = '717f2bfc-c6d4-41fd-b238-3f2f0c0cf777';

const event = (overrides: Record<string, unknown> = {}) => ({
  resourceUrl: `https://api.xero.com/api.xro/2.0/Contacts/${RESOURCE}`,
  resourceId: RESOURCE,
  eventDateUtc: '2024-06-21T01:15:39.902',
  eventType: 'UPDATE',
  eventCategory: 'CONTACT',
  tenantId: TENANT,
  tenantType: 'ORGANISATION',
  ...overrides,
});
const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const batch = (events: unknown[], extra: Record<string, unknown> = {}) => ({ events, firstEventSequence: 1, lastEventSequence: events.length, entropy: 'S0m3r4Nd0mt3xt', ...extra });

describe('reading a webhook body', () => {
  it("reads Xero's example delivery", () => {
    const result = parseWebhookBatch(body(batch([event()])));
    expect(result).toEqual({ ok: true, batch: batch([event()]) as XeroWebhookBatch });
  });

  it('reads the intent-to-receive batch (no events, sequence 0)', () => {
    expect(parseWebhookBatch(body({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: 'X' })).ok).toBe(true);
  });

  it('keeps a credit note event’s data and an unknown category', () => {
    const creditNote = event({ eventCategory: 'CREDITNOTE', data: { Type: 'ACCRECCREDIT', Status: 'AUTHORISED' } });
    const future = event({ eventCategory: 'TIMESHEET' });
    const result = parseWebhookBatch(body(batch([creditNote, future])));
    expect(result.ok && result.batch.events.map((e) => [e.eventCategory, e.data])).toEqual([
      ['CREDITNOTE', { Type: 'ACCRECCREDIT', Status: 'AUTHORISED' }],
      ['TIMESHEET', undefined],
    ]);
  });

  it.each([
    ['not JSON', 'not json', /not JSON/],
    ['a JSON list', [], /not a JSON object/],
    ['without events', { firstEventSequence: 1, lastEventSequence: 1, entropy: 'x' }, /events is missing/],
    ['without sequences', { events: [], entropy: 'x' }, /firstEventSequence/],
    ['without entropy', { events: [], firstEventSequence: 1, lastEventSequence: 1 }, /entropy/],
    ['with an event that is not an object', batch(['x']), /events\[0\] is not an object/],
    ['with an event without tenantId', batch([event({ tenantId: undefined })]), /events\[0\]\.tenantId is missing/],
    ['with a resourceId that is not a uuid', batch([event({ resourceId: '42' })]), /resourceId is not a uuid/],
    ['with a date that is not one', batch([event({ eventDateUtc: 'yesterday' })]), /eventDateUtc is not a date-time/],
  ])('refuses a body %s, saying why', (_label, value, reason) => {
    const result = parseWebhookBatch(body(value));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('reads zone-less event dates as UTC', () => {
    expect(eventInstant('2024-06-21T01:15:39.902')?.toISOString()).toBe('2024-06-21T01:15:39.902Z');
    expect(eventInstant('2024-06-21T13:15:39.902+12:00')?.toISOString()).toBe('2024-06-21T01:15:39.902Z');
    expect(eventInstant('2024-06-21')).toBeUndefined();
  });
});
