import { PurchaseOrderRequestedPayload } from '@ledgerline/contracts';
import { purchaseOrderAnswer, purchaseOrderRequestProblems, toXeroPurchaseOrder } from './purchase-order-mapping';

const SUPPLIER = '0f9c8c53-6d43-4b8f-9a3e-7f2b1f1c0a11';
const request = (overrides: Partial<PurchaseOrderRequestedPayload> = {}): PurchaseOrderRequestedPayload =>
  ({
    requestId: 'po-1',
    clientId: 'supplier-1',
    lineItems: [{ description: 'Timber', quantity: '10', unitAmount: '12.5', accountCode: '300', taxType: 'INPUT2' }],
    date: '2026-03-01',
    deliveryDate: '2026-03-05',
    deliveryAddress: '12 Wharf Rd, Auckland',
    reference: 'JOB-7',
    currencyCode: 'NZD',
    status: 'AUTHORISED',
    ...overrides,
  }) as PurchaseOrderRequestedPayload;

describe('purchase order mapping', () => {
  it('maps a request to the purchase order Xero takes, to the supplier, with delivery date and address', () => {
    expect(toXeroPurchaseOrder(request({ lineAmountTypes: 'Exclusive' }), SUPPLIER)).toEqual({
      contact: { contactID: SUPPLIER },
      lineItems: [{ description: 'Timber', quantity: 10, unitAmount: 12.5, accountCode: '300', taxType: 'INPUT2' }],
      date: '2026-03-01',
      deliveryDate: '2026-03-05',
      deliveryAddress: '12 Wharf Rd, Auckland',
      reference: 'JOB-7',
      currencyCode: 'NZD',
      lineAmountTypes: 'Exclusive',
      status: 'AUTHORISED',
    });
  });

  it('refuses a delivery before the order date, before any call', () => {
    expect(purchaseOrderRequestProblems(request())).toEqual([]);
    expect(purchaseOrderRequestProblems(request({ deliveryDate: '2026-02-28' }))).toEqual(["deliveryDate: 2026-02-28 is before the order's date 2026-03-01"]);
    expect(() => toXeroPurchaseOrder(request({ deliveryDate: '2026-02-28' }), SUPPLIER)).toThrow(/purchase order request cannot be sent/);
  });

  it("reads Xero's answer for each element", () => {
    expect(purchaseOrderAnswer({ ok: true, record: { purchaseOrderID: SUPPLIER, purchaseOrderNumber: 'PO-0001', status: 'AUTHORISED', subTotal: 125, totalTax: 18.75, total: 143.75 } }, 'NZD')).toEqual({
      ok: true,
      result: { xeroId: SUPPLIER, number: 'PO-0001', status: 'AUTHORISED', subTotal: '125.00', totalTax: '18.75', total: '143.75', currencyCode: 'NZD' },
    });
    expect(purchaseOrderAnswer({ ok: false, messages: ['Contact is archived'] }, 'NZD')).toEqual({ ok: false, failure: { code: 'XERO_VALIDATION', messages: ['Contact is archived'] } });
  });
});
