import { classifyCallFailure, decimalFromXero, invoiceOutcome } from './batch-outcome';

describe('invoiceOutcome', () => {
  it("records Xero's id, number, status and totals for an accepted invoice", () => {
    const outcome = invoiceOutcome(
      {
        ok: true,
        record: { invoiceID: '1f9e3c4a-1111-4222-8333-944455556666', invoiceNumber: 'INV-0042', status: 'AUTHORISED', subTotal: 164.99, totalTax: 24.75, total: 189.74, amountDue: 189.74, currencyCode: 'NZD' },
      },
      'NZD',
    );
    expect(outcome).toEqual({
      kind: 'created',
      xeroId: '1f9e3c4a-1111-4222-8333-944455556666',
      number: 'INV-0042',
      status: 'AUTHORISED',
      subTotal: '164.99',
      totalTax: '24.75',
      total: '189.74',
      amountDue: '189.74',
      currencyCode: 'NZD',
    });
  });

  it('passes on every validation message of a rejected element', () => {
    const messages = ["Account code '999' is not a valid code for this document.", 'Another problem'];
    expect(invoiceOutcome({ ok: false, messages }, 'NZD')).toEqual({ kind: 'failed', code: 'XERO_VALIDATION', messages });
  });

  it('does not call an element created when Xero returned no id or number', () => {
    expect(invoiceOutcome({ ok: true, record: { invoiceNumber: 'INV-1' } }, 'NZD')).toMatchObject({ kind: 'failed', code: 'XERO_INCOMPLETE_RESPONSE' });
    expect(invoiceOutcome({ ok: true, record: { invoiceID: '1f9e3c4a-1111-4222-8333-944455556666' } }, 'NZD')).toMatchObject({ kind: 'failed' });
  });

  it("falls back to the request's currency and to the total when Xero omits them", () => {
    const outcome = invoiceOutcome({ ok: true, record: { invoiceID: '1f9e3c4a-1111-4222-8333-944455556666', invoiceNumber: 'INV-1', subTotal: 10, totalTax: 0, total: 10 } }, 'AUD');
    expect(outcome).toMatchObject({ currencyCode: 'AUD', amountDue: '10.00' });
  });
});

describe('decimalFromXero', () => {
  it.each([
    [115, '115.00'],
    [0.1, '0.10'],
    [189.74, '189.74'],
    [12.3456, '12.3456'],
    [-5.5, '-5.50'],
    [undefined, '0.00'],
  ])('writes %p as %p', (value, expected) => {
    expect(decimalFromXero(value)).toBe(expected);
  });
});

describe('classifyCallFailure', () => {
  it('fails the members when the error says a retry cannot help', () => {
    expect(classifyCallFailure({ code: 'NOT_CONNECTED', retriable: false, message: 'Company acme has no usable Xero connection (CONNECTION_NOT_FOUND)', messages: [] })).toEqual({
      kind: 'fail',
      code: 'NOT_CONNECTED',
      messages: ['Company acme has no usable Xero connection (CONNECTION_NOT_FOUND)'],
    });
  });

  it("keeps Xero's own messages when there are some", () => {
    expect(classifyCallFailure({ code: 'FORBIDDEN', retriable: false, message: 'Forbidden', messages: ['The organisation no longer grants accounting.transactions'] })).toMatchObject({
      messages: ['The organisation no longer grants accounting.transactions'],
    });
  });

  it('resends after rate limits, server errors, timeouts and anything unexpected', () => {
    expect(classifyCallFailure({ code: 'RATE_LIMITED', retriable: true, message: 'Too many' })).toMatchObject({ kind: 'retry', code: 'RATE_LIMITED' });
    expect(classifyCallFailure({ code: 'UPSTREAM', retriable: true, message: 'Xero answered 503' })).toMatchObject({ kind: 'retry', code: 'UPSTREAM' });
    expect(classifyCallFailure(new Error('connection terminated'))).toEqual({ kind: 'retry', code: 'UNEXPECTED', messages: ['connection terminated'] });
    expect(classifyCallFailure('weird')).toEqual({ kind: 'retry', code: 'UNEXPECTED', messages: ['weird'] });
  });
});
