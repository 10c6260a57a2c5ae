import { QuoteRequestedPayload } from '@ledgerline/contracts';
import { quoteAnswer, quoteRequestProblems, toXeroQuote } from './quote-mapping';

const CONTACT = '5b96e86b-418e-48e8-8949-308c14aec278';
const request = (overrides: Partial<QuoteRequestedPayload> = {}): QuoteRequestedPayload =>
  ({
    requestId: 'q-1',
    clientId: 'client-1',
    lineItems: [{ description: 'Deck', quantity: '2', unitAmount: '150.25', accountCode: '200', tracking: [{ name: 'Region', option: 'North' }] }],
    date: '2026-03-01',
    expiryDate: '2026-03-31',
    title: 'Deck rebuild',
    summary: 'Two decks, hardwood',
    reference: 'JOB-7',
    currencyCode: 'NZD',
    lineAmountTypes: 'Inclusive',
    status: 'SENT',
    ...overrides,
  }) as QuoteRequestedPayload;

describe('quote mapping', () => {
  it('maps a request to the quote Xero takes: contact, lines with tracking, title, summary, expiry, capitalised line amount types', () => {
    expect(toXeroQuote(request(), CONTACT)).toEqual({
      contact: { contactID: CONTACT },
      lineItems: [{ description: 'Deck', quantity: 2, unitAmount: 150.25, accountCode: '200', tracking: [{ name: 'Region', option: 'North' }] }],
      date: '2026-03-01',
      expiryDate: '2026-03-31',
      title: 'Deck rebuild',
      summary: 'Two decks, hardwood',
      reference: 'JOB-7',
      currencyCode: 'NZD',
      lineAmountTypes: 'INCLUSIVE',
      status: 'SENT',
    });
  });

  it('leaves out what the request leaves out', () => {
    const quote = toXeroQuote(request({ expiryDate: undefined, title: undefined, summary: undefined, reference: undefined, lineAmountTypes: undefined, status: 'DRAFT' }), CONTACT);
    expect(Object.keys(quote).sort()).toEqual(['contact', 'currencyCode', 'date', 'lineItems', 'status']);
  });

  it('finds what Xero could never take: an expiry before the date, an amount with too many digits', () => {
    expect(quoteRequestProblems(request())).toEqual([]);
    expect(quoteRequestProblems(request({ expiryDate: '2026-02-01' }))).toEqual(["expiryDate: 2026-02-01 is before the quote's date 2026-03-01"]);
    const tooPrecise = request({ lineItems: [{ description: 'x', quantity: '1', unitAmount: '1234567890123.4567' }] });
    expect(quoteRequestProblems(tooPrecise)).toEqual(['lineItems[0].unitAmount: 1234567890123.4567 has more significant digits than Xero can take']);
    expect(() => toXeroQuote(tooPrecise, CONTACT)).toThrow(/quote request cannot be sent/);
  });

  it("reads Xero's answer: the quote's id, number and totals, or Xero's messages", () => {
    expect(quoteAnswer({ ok: true, record: { quoteID: CONTACT, quoteNumber: 'QU-0001', status: 'SENT', subTotal: 261.3, totalTax: 39.2, total: 300.5 } }, 'NZD')).toEqual({
      ok: true,
      result: { xeroId: CONTACT, number: 'QU-0001', status: 'SENT', subTotal: '261.30', totalTax: '39.20', total: '300.50', currencyCode: 'NZD' },
    });
    expect(quoteAnswer({ ok: false, messages: ['Account code 999 is not valid'] }, 'NZD')).toEqual({ ok: false, failure: { code: 'XERO_VALIDATION', messages: ['Account code 999 is not valid'] } });
    expect(quoteAnswer({ ok: true, record: { quoteID: CONTACT } }, 'NZD')).toMatchObject({ ok: false, failure: { code: 'XERO_INCOMPLETE_RESPONSE' } });
  });
});
