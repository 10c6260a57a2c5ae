import { Invoice, Invoices, ObjectSerializer } from 'xero-node';
import { XeroClientException } from '../errors/xero-client.exception';
import { XeroErrorCode } from '../errors/xero-error-code';
import { chunk, mapBatchElements, mapBatchFailure } from './batch-result';

describe('chunk', () => {
  it('splits into batches of at most 50 by default, keeping order', () => {
    const items = Array.from({ length: 120 }, (_, i) => i);
    const chunks = chunk(items);
    expect(chunks.map((c) => c.length)).toEqual([50, 50, 20]);
    expect(chunks.flat()).toEqual(items);
    expect(chunk([])).toEqual([]);
    expect(() => chunk(items, 0)).toThrow(RangeError);
  });
});

describe('mapBatchElements', () => {
  it('maps each element of a summarizeErrors=false response back to its request position', () => {
    // The body as Xero sends it, deserialised by xero-node exactly as createInvoices does.
    const body = ObjectSerializer.deserialize(
      {
        Invoices: [
          { InvoiceID: 'id-0', InvoiceNumber: 'INV-1', StatusAttributeString: 'OK' },
          {
            InvoiceID: '00000000-0000-0000-0000-000000000000',
            StatusAttributeString: 'ERROR',
            ValidationErrors: [{ Message: 'Account code \'999\' is not a valid code for this document.' }],
          },
          { InvoiceID: 'id-2', StatusAttributeString: 'WARNING', Warnings: [{ Message: 'Rounding applied' }] },
        ],
      },
      'Invoices',
    ) as Invoices;
    const results = mapBatchElements<Invoice>(3, body.invoices, 50);
    expect(results).toEqual([
      { index: 50, ok: true, record: body.invoices![0], warnings: [] },
      { index: 51, ok: false, messages: ["Account code '999' is not a valid code for this document."] },
      { index: 52, ok: true, record: body.invoices![2], warnings: ['Rounding applied'] },
    ]);
    const first = results[0];
    expect(first.ok && first.record.invoiceID).toBe('id-0');
  });

  it('reports elements Xero did not return as failed rather than guessing', () => {
    const results = mapBatchElements(2, [{ statusAttributeString: 'OK' }]);
    expect(results[1]).toEqual({ index: 1, ok: false, messages: ['Xero returned no result for this element'] });
  });
});

describe('mapBatchFailure', () => {
  it('gives named elements their messages and the rest the request-level reason', () => {
    const error = new XeroClientException({
      code: XeroErrorCode.Validation,
      retriable: false,
      status: 400,
      message: 'Xero rejected the request',
      messages: ['Email is invalid', 'A validation exception occurred'],
      elements: [{ index: 1, messages: ['Email is invalid'] }],
    });
    expect(mapBatchFailure(3, error, 100)).toEqual([
      { index: 100, ok: false, messages: ['Email is invalid', 'A validation exception occurred'] },
      { index: 101, ok: false, messages: ['Email is invalid'] },
      { index: 102, ok: false, messages: ['Email is invalid', 'A validation exception occurred'] },
    ]);
  });
});
