import { directionOfKind, entityOfKind, isPendingOutcome, isSuccessOutcome } from './sync-entity';

describe('sync entities', () => {
  it.each([
    ['invoice.create', 'invoice', 'push'],
    ['quote.mark_invoiced', 'quote', 'push'],
    ['quote.poll', 'quote', 'pull'],
    ['contact.sync', 'contact', 'push'],
    ['reconciliation.pull', 'payment', 'pull'],
    ['reconciliation.look', 'payment', 'pull'],
    ['document.cancel', 'document', 'push'],
    ['purchase_order.create', 'purchase_order', 'push'],
  ])('%s concerns %s and is a %s', (kind, entity, direction) => {
    expect(entityOfKind(kind)).toBe(entity);
    expect(directionOfKind(kind)).toBe(direction);
  });

  it('counts found_in_xero as a success and waiting or retrying as pending', () => {
    expect(isSuccessOutcome('succeeded')).toBe(true);
    expect(isSuccessOutcome('found_in_xero')).toBe(true);
    expect(isSuccessOutcome('failed')).toBe(false);
    expect(isPendingOutcome('waiting_connection')).toBe(true);
    expect(isPendingOutcome('retrying')).toBe(true);
    expect(isPendingOutcome('succeeded')).toBe(false);
  });
});
