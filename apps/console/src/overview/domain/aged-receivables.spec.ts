import { agedBucket, OpenInvoice, summariseReceivables } from './aged-receivables';

const invoice = (over: Partial<OpenInvoice> = {}): OpenInvoice => ({ currencyCode: 'NZD', dueDate: '2026-11-30', amountDue: '100.00', ...over });

describe('aged receivables', () => {
  it.each([
    [null, 'current'],
    ['2026-12-10', 'current'],
    ['2026-12-01', 'current'],
    ['2026-11-30', '1-30'],
    ['2026-11-01', '1-30'],
    ['2026-10-31', '31-60'],
    ['2026-10-02', '31-60'],
    ['2026-10-01', '61-90'],
    ['2026-09-02', '61-90'],
    ['2026-09-01', '90+'],
  ])('due %s is %s on 2026-12-01', (due, bucket) => {
    expect(agedBucket(due, '2026-12-01')).toBe(bucket);
  });

  it('sums per currency, counts overdue apart from current, and leaves settled invoices out', () => {
    const summary = summariseReceivables(
      [
        invoice({ dueDate: '2026-12-15', amountDue: '10.10' }),
        invoice({ dueDate: '2026-11-20', amountDue: '20.25' }),
        invoice({ dueDate: '2026-08-01', amountDue: '5.00' }),
        invoice({ amountDue: '0.00' }),
        invoice({ currencyCode: 'AUD', dueDate: null, amountDue: '7.5' }),
      ],
      '2026-12-01',
    );
    expect(summary.map((s) => s.currencyCode)).toEqual(['AUD', 'NZD']);
    const nzd = summary[1];
    expect(nzd.outstanding).toEqual({ count: 3, amount: '35.35' });
    expect(nzd.overdue).toEqual({ count: 2, amount: '25.25' });
    expect(nzd.buckets).toEqual({
      current: { count: 1, amount: '10.10' },
      '1-30': { count: 1, amount: '20.25' },
      '31-60': { count: 0, amount: '0.00' },
      '61-90': { count: 0, amount: '0.00' },
      '90+': { count: 1, amount: '5.00' },
    });
    expect(summary[0].outstanding).toEqual({ count: 1, amount: '7.50' });
  });
});
