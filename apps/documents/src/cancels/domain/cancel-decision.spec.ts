import { cancelDecision } from './cancel-decision';

describe('cancel decision', () => {
  it('deletes draft and submitted invoices, voids an authorised one with nothing paid', () => {
    expect(cancelDecision('invoice', { status: 'DRAFT' })).toEqual({ action: 'set', status: 'DELETED' });
    expect(cancelDecision('invoice', { status: 'SUBMITTED' })).toEqual({ action: 'set', status: 'DELETED' });
    expect(cancelDecision('invoice', { status: 'AUTHORISED', amountPaid: 0, amountCredited: 0 })).toEqual({ action: 'set', status: 'VOIDED' });
  });

  it('refuses a paid, part-paid or credited invoice, saying why', () => {
    expect(cancelDecision('invoice', { status: 'PAID', amountPaid: 100 })).toEqual({ action: 'refuse', messages: [expect.stringMatching(/is paid/)] });
    expect(cancelDecision('invoice', { status: 'AUTHORISED', amountPaid: 0.01 })).toEqual({ action: 'refuse', messages: [expect.stringMatching(/part-paid/)] });
    expect(cancelDecision('invoice', { status: 'AUTHORISED', amountPaid: 0, amountCredited: 20 })).toEqual({ action: 'refuse', messages: [expect.stringMatching(/credit allocated/)] });
  });

  it('deletes quotes unless invoiced, and purchase orders unless billed', () => {
    for (const status of ['DRAFT', 'SENT', 'ACCEPTED', 'DECLINED']) expect(cancelDecision('quote', { status })).toEqual({ action: 'set', status: 'DELETED' });
    expect(cancelDecision('quote', { status: 'INVOICED' })).toMatchObject({ action: 'refuse' });
    for (const status of ['DRAFT', 'SUBMITTED', 'AUTHORISED']) expect(cancelDecision('purchase_order', { status })).toEqual({ action: 'set', status: 'DELETED' });
    expect(cancelDecision('purchase_order', { status: 'BILLED' })).toEqual({ action: 'refuse', messages: ['The purchase order has been billed and can no longer be deleted'] });
  });

  it('calls nothing for a document Xero already has as deleted or voided', () => {
    expect(cancelDecision('invoice', { status: 'VOIDED' })).toEqual({ action: 'already', status: 'VOIDED' });
    expect(cancelDecision('quote', { status: 'deleted' })).toEqual({ action: 'already', status: 'DELETED' });
  });

  it('refuses a status it does not know rather than guessing', () => {
    expect(cancelDecision('invoice', { status: 'UNKNOWN' })).toEqual({ action: 'refuse', messages: ['The invoice is UNKNOWN in Xero and cannot be deleted or voided'] });
  });
});
