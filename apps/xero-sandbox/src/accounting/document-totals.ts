import Decimal from 'decimal.js';

/**
 * Line and document totals as Xero computes them: each line's amount is rounded to 2dp, tax is
 * computed and rounded per line (Xero's default "round per line" setting), and the document totals
 * are sums of the rounded line figures. Rounding is half away from zero.
 */
export type LineAmountTypes = 'Exclusive' | 'Inclusive' | 'NoTax';

export interface LineInput {
  Quantity?: unknown;
  UnitAmount?: unknown;
  LineAmount?: unknown;
  DiscountRate?: unknown;
  TaxType?: string;
}

export interface LineTotals {
  Quantity: Decimal;
  UnitAmount: Decimal;
  LineAmount: Decimal;
  TaxAmount: Decimal;
  DiscountRate?: Decimal;
  TaxType: string;
}

export interface DocumentTotals {
  lines: LineTotals[];
  SubTotal: Decimal;
  TotalTax: Decimal;
  Total: Decimal;
}

const Money = Decimal.clone({ rounding: Decimal.ROUND_HALF_UP });

function decimal(value: unknown): Decimal | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  try {
    const parsed = new Money(value as Decimal.Value);
    return parsed.isFinite() ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function roundMoney(value: Decimal.Value): Decimal {
  return new Money(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

export class LineAmountError extends Error {}

/**
 * @param taxRatePercent rate for a tax type (e.g. 15 for OUTPUT2); the caller has already checked the type exists.
 * @param unitdp decimal places kept on UnitAmount (2 by default, 4 when the request says unitdp=4).
 */
export function computeDocumentTotals(
  lines: LineInput[],
  lineAmountTypes: LineAmountTypes,
  taxRatePercent: (taxType: string) => Decimal.Value,
  unitdp: 2 | 4 = 2,
): DocumentTotals {
  const computed = lines.map((line, index): LineTotals => {
    const quantity = (decimal(line.Quantity) ?? new Money(1)).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
    const discount = decimal(line.DiscountRate);
    let unitAmount = decimal(line.UnitAmount)?.toDecimalPlaces(unitdp, Decimal.ROUND_HALF_UP);
    const given = decimal(line.LineAmount);
    if (line.Quantity !== undefined && decimal(line.Quantity) === undefined) throw new LineAmountError(`Line ${index + 1}: Quantity is not a number`);
    if (line.UnitAmount !== undefined && line.UnitAmount !== null && unitAmount === undefined) throw new LineAmountError(`Line ${index + 1}: UnitAmount is not a number`);
    if (unitAmount === undefined) {
      // Xero derives the unit amount when only the line amount is given.
      unitAmount = given && !quantity.isZero() ? given.div(quantity).toDecimalPlaces(unitdp, Decimal.ROUND_HALF_UP) : new Money(0);
    }
    const gross = quantity.mul(unitAmount);
    const lineAmount = roundMoney(discount ? gross.mul(new Money(100).minus(discount)).div(100) : gross);
    const taxType = lineAmountTypes === 'NoTax' ? 'NONE' : (line.TaxType ?? 'NONE');
    const rate = new Money(taxRatePercent(taxType)).div(100);
    const taxAmount =
      lineAmountTypes === 'NoTax'
        ? new Money(0)
        : lineAmountTypes === 'Inclusive'
          ? roundMoney(lineAmount.mul(rate).div(rate.plus(1)))
          : roundMoney(lineAmount.mul(rate));
    return { Quantity: quantity, UnitAmount: unitAmount, LineAmount: lineAmount, TaxAmount: taxAmount, DiscountRate: discount, TaxType: taxType };
  });
  const sumLines = computed.reduce((sum, line) => sum.plus(line.LineAmount), new Money(0));
  const totalTax = computed.reduce((sum, line) => sum.plus(line.TaxAmount), new Money(0));
  const subTotal = lineAmountTypes === 'Inclusive' ? sumLines.minus(totalTax) : sumLines;
  return { lines: computed, SubTotal: subTotal, TotalTax: totalTax, Total: subTotal.plus(totalTax) };
}
