import { invoiceFromQuote, QuoteOnRecord } from './invoice-from-quote';

const quoteLines = [{ description: 'Deck rebuild', quantity: '1', unitAmount: '1200.00', accountCode: '200' }];
const quote = (overrides: Partial<QuoteOnRecord> = {}): QuoteOnRecord => ({
  requestId: 'q-1',
  clientId: 'client-1',
  status: 'created',
  xeroStatus: 'ACCEPTED',
  currencyCode: 'NZD',
  request: { lineItems: quoteLines, lineAmountTypes: 'Inclusive' },
  ...overrides,
});
const invoice = (overrides: Record<string, unknown> = {}) => ({ requestId: 'i-1', clientId: 'client-1', currencyCode: 'NZD', quoteRequestId: 'q-1', ...overrides });

describe('invoice from quote', () => {
  it("takes the quote's lines and line amount types when the invoice has no lines", () => {
    expect(invoiceFromQuote(invoice(), quote(), 'q-1')).toEqual({ ok: true, request: { ...invoice(), lineItems: quoteLines, lineAmountTypes: 'Inclusive' } });
  });

  it('keeps lines of its own', () => {
    const own = [{ description: 'Final stage', quantity: '1', unitAmount: '600.00' }];
    expect(invoiceFromQuote(invoice({ lineItems: own }), quote(), 'q-1')).toEqual({ ok: true, request: invoice({ lineItems: own }) });
  });

  it('refuses an unknown, unsent, closed, other-client or other-currency quote, saying why', () => {
    expect(invoiceFromQuote(invoice(), null, 'q-9')).toEqual({ ok: false, problems: ['quoteRequestId: no quote request q-9 is known for this company'] });
    expect(invoiceFromQuote(invoice(), quote({ status: 'waiting_contact' }), 'q-1')).toEqual({ ok: false, problems: ['quoteRequestId: quote q-1 is waiting_contact, not in Xero'] });
    expect(invoiceFromQuote(invoice(), quote({ xeroStatus: 'DECLINED' }), 'q-1')).toEqual({ ok: false, problems: ['quoteRequestId: quote q-1 is DECLINED in Xero'] });
    expect(invoiceFromQuote(invoice({ clientId: 'client-2', currencyCode: 'AUD' }), quote(), 'q-1')).toEqual({
      ok: false,
      problems: ['quoteRequestId: quote q-1 is for client client-1, not client-2', 'quoteRequestId: quote q-1 is in NZD, not AUD'],
    });
  });
});
