import { computeDocumentTotals } from './document-totals';

const rates: Record<string, number> = { OUTPUT2: 15, INPUT2: 15, NONE: 0 };
const rate = (type: string) => rates[type];

describe('computeDocumentTotals', () => {
  it('adds tax on top for Exclusive lines, per line, rounded to cents', () => {
    const totals = computeDocumentTotals(
      [
        { Quantity: 3, UnitAmount: 33.33, TaxType: 'OUTPUT2' },
        { Quantity: 1, UnitAmount: 0.1, TaxType: 'OUTPUT2' },
        { Quantity: 2, UnitAmount: 10, TaxType: 'NONE' },
      ],
      'Exclusive',
      rate,
    );
    expect(totals.lines.map((l) => l.LineAmount.toString())).toEqual(['99.99', '0.1', '20']);
    // 99.99 * 0.15 = 14.9985 -> 15.00 ; 0.10 * 0.15 = 0.015 -> 0.02 (half away from zero)
    expect(totals.lines.map((l) => l.TaxAmount.toFixed(2))).toEqual(['15.00', '0.02', '0.00']);
    expect(totals.SubTotal.toFixed(2)).toBe('120.09');
    expect(totals.TotalTax.toFixed(2)).toBe('15.02');
    expect(totals.Total.toFixed(2)).toBe('135.11');
  });

  it('extracts tax from Inclusive lines so the total equals the sum of line amounts', () => {
    const totals = computeDocumentTotals([{ Quantity: 1, UnitAmount: 115, TaxType: 'OUTPUT2' }, { Quantity: 1, UnitAmount: 10, TaxType: 'OUTPUT2' }], 'Inclusive', rate);
    // 10 * 15 / 115 = 1.3043... -> 1.30
    expect(totals.lines.map((l) => l.TaxAmount.toFixed(2))).toEqual(['15.00', '1.30']);
    expect(totals.Total.toFixed(2)).toBe('125.00');
    expect(totals.TotalTax.toFixed(2)).toBe('16.30');
    expect(totals.SubTotal.toFixed(2)).toBe('108.70');
  });

  it('charges no tax for NoTax documents whatever the line says', () => {
    const totals = computeDocumentTotals([{ Quantity: 2, UnitAmount: 50, TaxType: 'OUTPUT2' }], 'NoTax', rate);
    expect(totals.lines[0].TaxType).toBe('NONE');
    expect(totals.TotalTax.toNumber()).toBe(0);
    expect(totals.Total.toNumber()).toBe(100);
  });

  it('keeps UnitAmount to 2dp by default and 4dp with unitdp=4; applies discounts before rounding', () => {
    const two = computeDocumentTotals([{ Quantity: 3, UnitAmount: 1.23456 }], 'Exclusive', rate);
    expect(two.lines[0].UnitAmount.toString()).toBe('1.23');
    expect(two.lines[0].LineAmount.toString()).toBe('3.69');
    const four = computeDocumentTotals([{ Quantity: 3, UnitAmount: 1.23456 }], 'Exclusive', rate, 4);
    expect(four.lines[0].UnitAmount.toString()).toBe('1.2346');
    expect(four.lines[0].LineAmount.toString()).toBe('3.7'); // 3.7038 -> 3.70
    const discounted = computeDocumentTotals([{ Quantity: 1, UnitAmount: 99.99, DiscountRate: 12.5, TaxType: 'OUTPUT2' }], 'Exclusive', rate);
    expect(discounted.lines[0].LineAmount.toFixed(2)).toBe('87.49'); // 87.49125
    expect(discounted.Total.toFixed(2)).toBe('100.61'); // 87.49 + 13.12 (13.1235)
  });

  it('derives the unit amount when only LineAmount is sent, and avoids float drift', () => {
    const totals = computeDocumentTotals([{ Quantity: 4, LineAmount: 10 }, { UnitAmount: 0.1 }, { UnitAmount: 0.2 }], 'Exclusive', rate);
    expect(totals.lines[0].UnitAmount.toString()).toBe('2.5');
    expect(totals.Total.toString()).toBe('10.3');
  });
});
