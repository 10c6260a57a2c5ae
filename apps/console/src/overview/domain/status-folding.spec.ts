import { countByStatus, INVOICE_STAGES, QUOTE_STAGES, supersedes } from './status-folding';

const at = (status: string, minute: number) => ({ status, at: `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z` });

describe('status folding', () => {
  it('takes the first status of a record', () => {
    expect(supersedes(INVOICE_STAGES, null, at('requested', 0))).toBe(true);
  });

  it('never moves an invoice back a stage, whatever arrives late', () => {
    expect(supersedes(INVOICE_STAGES, at('paid', 5), at('raised', 9))).toBe(false);
    expect(supersedes(INVOICE_STAGES, at('raised', 5), at('requested', 9))).toBe(false);
    expect(supersedes(INVOICE_STAGES, at('voided', 5), at('paid', 9))).toBe(false);
    expect(supersedes(INVOICE_STAGES, at('raised', 5), at('failed', 9))).toBe(false);
  });

  it('lets a retried invoice that was raised replace its failure, and a paid one its raise, even out of order', () => {
    expect(supersedes(INVOICE_STAGES, at('failed', 5), at('raised', 9))).toBe(true);
    expect(supersedes(INVOICE_STAGES, at('paid', 9), at('voided', 1))).toBe(true);
  });

  it('within a stage, the later balance wins', () => {
    expect(supersedes(INVOICE_STAGES, at('partially_paid', 5), at('paid', 6))).toBe(true);
    expect(supersedes(INVOICE_STAGES, at('paid', 6), at('partially_paid', 5))).toBe(false);
    expect(supersedes(INVOICE_STAGES, at('paid', 6), at('unpaid', 7))).toBe(true);
  });

  it('moves a quote from Xero status to the customer answer', () => {
    expect(supersedes(QUOTE_STAGES, at('sent', 5), at('accepted', 1))).toBe(true);
    expect(supersedes(QUOTE_STAGES, at('accepted', 5), at('sent', 9))).toBe(false);
  });

  it('counts every status to be shown, with zeros', () => {
    expect(countByStatus([{ status: 'sent', count: 2 }, { status: 'odd', count: 1 }], ['draft', 'sent'])).toEqual({ draft: 0, sent: 2, odd: 1 });
  });
});
