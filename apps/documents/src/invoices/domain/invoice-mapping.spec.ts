import { InvoiceRequestedPayload } from '@ledgerline/contracts';
import { exactNumber, InvoiceMappingError, invoiceRequestProblems, toXeroInvoice } from './invoice-mapping';

const CONTACT = '6d3c1a52-7a43-4b7e-9d7e-0f1f3b9b2a11';

const request = (overrides: Partial<InvoiceRequestedPayload> = {}): InvoiceRequestedPayload =>
  Object.assign(new InvoiceRequestedPayload(), {
    requestId: 'req-1',
    clientId: 'client-1',
    lineItems: [
      { description: 'Call-out', quantity: '1', unitAmount: '65.00', accountCode: '200', taxType: 'OUTPUT2' },
      {
        description: 'Labour',
        quantity: '2.5',
        unitAmount: '95.1234',
        accountCode: '200',
        itemCode: 'LABOUR',
        discountRate: '10.5',
        tracking: [{ name: 'Region', option: 'North' }],
      },
    ],
    reference: 'JOB-77',
    date: '2026-03-01',
    dueDate: '2026-03-20',
    currencyCode: 'NZD',
    lineAmountTypes: 'Exclusive',
    status: 'AUTHORISED',
    ...overrides,
  });

describe('toXeroInvoice', () => {
  it('maps every field of the request onto a sales invoice for the contact', () => {
    expect(toXeroInvoice(request(), CONTACT)).toEqual({
      type: 'ACCREC',
      contact: { contactID: CONTACT },
      lineItems: [
        { description: 'Call-out', quantity: 1, unitAmount: 65, accountCode: '200', taxType: 'OUTPUT2' },
        {
          description: 'Labour',
          quantity: 2.5,
          unitAmount: 95.1234,
          accountCode: '200',
          itemCode: 'LABOUR',
          discountRate: 10.5,
          tracking: [{ name: 'Region', option: 'North' }],
        },
      ],
      date: '2026-03-01',
      dueDate: '2026-03-20',
      reference: 'JOB-77',
      currencyCode: 'NZD',
      lineAmountTypes: 'Exclusive',
      status: 'AUTHORISED',
    });
  });

  it('leaves out what the request leaves out, so Xero applies its own defaults', () => {
    const invoice = toXeroInvoice(
      request({ lineItems: [{ description: 'Parts', quantity: '3', unitAmount: '10' }], reference: undefined, dueDate: undefined, lineAmountTypes: undefined, status: 'DRAFT' }),
      CONTACT,
    );
    expect(invoice).toEqual({
      type: 'ACCREC',
      contact: { contactID: CONTACT },
      lineItems: [{ description: 'Parts', quantity: 3, unitAmount: 10 }],
      date: '2026-03-01',
      currencyCode: 'NZD',
      status: 'DRAFT',
    });
    expect(Object.keys(invoice.lineItems[0])).toEqual(['description', 'quantity', 'unitAmount']);
  });

  it('gives the same invoice for the same inputs (a resent batch is byte-for-byte the same)', () => {
    expect(JSON.stringify(toXeroInvoice(request(), CONTACT))).toBe(JSON.stringify(toXeroInvoice(request(), CONTACT)));
  });

  it('keeps decimal amounts exact when they become JSON numbers', () => {
    const invoice = toXeroInvoice(request({ lineItems: [{ description: 'x', quantity: '0.1', unitAmount: '999999999999.99' }] }), CONTACT);
    expect(JSON.stringify(invoice.lineItems[0])).toBe('{"description":"x","quantity":0.1,"unitAmount":999999999999.99}');
  });

  it('refuses amounts that a JSON number cannot carry exactly, naming each field', () => {
    const tooPrecise = request({ lineItems: [{ description: 'x', quantity: '1', unitAmount: '123456789012345.1234', discountRate: '1.5' }, { description: 'y', quantity: '12345678901234.5678', unitAmount: '1' }] });
    expect(() => toXeroInvoice(tooPrecise, CONTACT)).toThrow(InvoiceMappingError);
    expect(invoiceRequestProblems(tooPrecise)).toEqual([
      'lineItems[0].unitAmount: 123456789012345.1234 has more significant digits than Xero can take',
      'lineItems[1].quantity: 12345678901234.5678 has more significant digits than Xero can take',
    ]);
    expect(invoiceRequestProblems(request())).toEqual([]);
  });
});

describe('exactNumber', () => {
  it.each([
    ['12.50', 12.5],
    ['-3.0001', -3.0001],
    ['0', 0],
    ['100000000000000', 100000000000000],
  ])('turns %s into %d', (value, expected) => {
    const problems: string[] = [];
    expect(exactNumber(value, 'amount', problems)).toBe(expected);
    expect(problems).toEqual([]);
  });
});
