import { describeFailedOutcome, entityOfTopic } from './failed-outcome';

describe('failed outcomes', () => {
  it('offers a documents retry for a failed invoice, with Xero’s code and messages', () => {
    expect(
      describeFailedOutcome('invoice.failed', { requestId: 'r-1', clientId: 'c-1', failure: { code: 'XERO_VALIDATION', messages: ['Account code 4999 is not valid'] } }),
    ).toEqual({
      entity: 'invoice',
      reference: 'r-1',
      code: 'XERO_VALIDATION',
      messages: ['Account code 4999 is not valid'],
      retry: { service: 'documents', documentType: 'invoice', requestId: 'r-1' },
    });
  });

  it('names the client of a failed contact sync and offers no retry', () => {
    const entry = describeFailedOutcome('contact.sync_failed', { clientId: 'c-9', failure: { code: 'CONTACT_AMBIGUOUS', messages: [] } });
    expect(entry).toMatchObject({ entity: 'contact', reference: 'c-9', code: 'CONTACT_AMBIGUOUS', retry: null });
  });

  it('takes a refused cancel’s entity from its document type', () => {
    const entry = describeFailedOutcome('document.cancel_failed', { documentType: 'quote', requestId: 'q-1', failure: { code: 'CANCEL_REFUSED', messages: ['invoiced'] } });
    expect(entry).toMatchObject({ entity: 'quote', reference: 'q-1', retry: null });
  });

  it('reads the entity of a dead letter from its original topic', () => {
    expect(entityOfTopic('invoice.requested')).toBe('invoice');
    expect(entityOfTopic('client.upserted')).toBe('contact');
    expect(entityOfTopic('xero.connection.connected')).toBe('connection');
    expect(entityOfTopic('purchase_order.requested')).toBe('purchase_order');
  });
});
