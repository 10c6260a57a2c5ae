import { dayOf, decimalFromXero, invoiceAnswer, invoiceMatchesDraft } from './invoice-outcome';
import { XeroInvoiceDraft } from './invoice-mapping';

describe('invoiceAnswer', () => {
  it("records Xero's id, number, status and totals for an accepted invoice", () => {
    const outcome = invoiceAnswer(
      {
        ok: true,
        record: {
          invoiceID: '1f9e3c4a-1111-4222-8333-944455556666',
          invoiceNumber: 'INV-0042',
          status: 'AUTHORISED',
          subTotal: 164.99,
          totalTax: 24.75,
          total: 189.74,
          amountDue: 189.74,
          currencyCode: 'NZD',
        },
      },
      'NZD',
    );
    expect(outcome).toEqual({
      ok: true,
      result: {
        xeroId: '1f9e3c4a-1111-4222-8333-944455556666',
        number: 'INV-0042',
        status: 'AUTHORISED',
        subTotal: '164.99',
        totalTax: '24.75',
        total: '189.74',
        amountDue: '189.74',
        currencyCode: 'NZD',
      },
    });
  });

  it('passes on every validation message of a rejected element', () => {
    const messages = ["Account code '999' is not a valid code for this document.", 'Another problem'];
    expect(invoiceAnswer({ ok: false, messages }, 'NZD')).toEqual({
      ok: false,
      failure: { code: 'XERO_VALIDATION', messages },
    });
  });

  it('does not call an element created when Xero returned no id or number', () => {
    expect(invoiceAnswer({ ok: true, record: { invoiceNumber: 'INV-1' } }, 'NZD')).toMatchObject({
      ok: false,
      failure: { code: 'XERO_INCOMPLETE_RESPONSE' },
    });
    expect(
      invoiceAnswer(
        {
          ok: true,
          record: { invoiceID: '1f9e3c4a-1111-4222-8333-944455556666' },
        },
        'NZD',
      ),
    ).toMatchObject({ ok: false });
  });

  it("falls back to the request's currency and to the total when Xero omits them", () => {
    const outcome = invoiceAnswer(
      {
        ok: true,
        record: {
          invoiceID: '1f9e3c4a-1111-4222-8333-944455556666',
          invoiceNumber: 'INV-1',
          subTotal: 10,
          totalTax: 0,
          total: 10,
        },
      },
      'AUD',
    );
    expect(outcome).toMatchObject({
      ok: true,
      result: { currencyCode: 'AUD', amountDue: '10.00' },
    });
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

describe('invoiceMatchesDraft', () => {
  const contactID = '5b9d1c2e-1111-4222-8333-944455556666';
  const draft: XeroInvoiceDraft = {
    type: 'ACCREC',
    contact: { contactID },
    lineItems: [{ description: 'Call-out', quantity: 1, unitAmount: 65 }],
    date: '2026-03-01',
    reference: 'REF-1',
    currencyCode: 'NZD',
    status: 'AUTHORISED',
  };
  const found = {
    contact: { contactID: contactID.toUpperCase() },
    reference: 'REF-1',
    date: '2026-03-01T00:00:00',
    lineItems: [{ description: 'Call-out', quantity: 1.0, unitAmount: 65.0 }],
  };

  it('recognises the invoice a lost send made: same contact, date, reference and lines', () => {
    expect(invoiceMatchesDraft(found, draft)).toBe(true);
  });

  it('tells apart an invoice with another contact, reference, date or lines', () => {
    expect(
      invoiceMatchesDraft(
        {
          ...found,
          contact: { contactID: '00000000-0000-0000-0000-000000000000' },
        },
        draft,
      ),
    ).toBe(false);
    expect(invoiceMatchesDraft({ ...found, reference: 'REF-2' }, draft)).toBe(false);
    expect(invoiceMatchesDraft({ ...found, date: '2026-03-02T00:00:00' }, draft)).toBe(false);
    expect(
      invoiceMatchesDraft(
        {
          ...found,
          lineItems: [{ description: 'Call-out', quantity: 2, unitAmount: 65 }],
        },
        draft,
      ),
    ).toBe(false);
    expect(invoiceMatchesDraft({ ...found, lineItems: [] }, draft)).toBe(false);
  });
});

describe('dayOf', () => {
  it('reads the day of every shape xero-node returns a date in', () => {
    expect(dayOf(new Date('2026-03-01T00:00:00Z'))).toBe('2026-03-01');
    expect(dayOf('2026-03-01T00:00:00')).toBe('2026-03-01');
    expect(dayOf('/Date(1772323200000+0000)/')).toBe('2026-03-01');
    expect(dayOf('soon')).toBeUndefined();
    expect(dayOf(42)).toBeUndefined();
  });
});
