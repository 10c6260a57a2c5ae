import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { XeroRecord } from '../store/resource-store.service';
import { computeDocumentTotals, LineAmountError, LineAmountTypes } from './document-totals';
import { sameText, str, WriteContext } from './resource-definition';

export interface PricedLines {
  lines: XeroRecord[];
  SubTotal: number;
  TotalTax: number;
  Total: number;
}

const LINE_AMOUNT_TYPES: LineAmountTypes[] = ['Exclusive', 'Inclusive', 'NoTax'];

export function lineAmountTypesOf(value: unknown, errors: string[]): LineAmountTypes {
  if (value === undefined || value === null || value === '') return 'Exclusive';
  const match = LINE_AMOUNT_TYPES.find((t) => sameText(t, value));
  if (!match) errors.push(`LineAmountTypes '${value}' is not valid. Use Exclusive, Inclusive or NoTax.`);
  return match ?? 'Exclusive';
}

/**
 * Validates a document's line items against the organisation's accounts, tax rates and items,
 * fills what Xero fills (tax type from the account, details from the item), and prices them.
 * `salesSide` picks the item's sales or purchase details.
 */
export function priceLines(rawLines: unknown, lineAmountTypes: LineAmountTypes, ctx: WriteContext, salesSide: boolean, documentErrors: string[]): PricedLines {
  const errors: string[] = [];
  const priced = priceValidLines(rawLines, lineAmountTypes, ctx, salesSide, errors);
  documentErrors.push(...errors);
  return priced;
}

function priceValidLines(rawLines: unknown, lineAmountTypes: LineAmountTypes, ctx: WriteContext, salesSide: boolean, errors: string[]): PricedLines {
  const inputs = Array.isArray(rawLines) ? (rawLines as XeroRecord[]) : [];
  const accounts = ctx.records('Accounts');
  const taxRates = ctx.records('TaxRates');
  const items = ctx.records('Items');
  const filled = inputs.map((raw) => {
    const line: XeroRecord = { ...raw };
    const itemCode = str(line['ItemCode']);
    if (itemCode) {
      const item = items.find((i) => sameText(i.data['Code'], itemCode));
      if (!item) errors.push(`Item code '${itemCode}' is not valid.`);
      const details = (item?.data[salesSide ? 'SalesDetails' : 'PurchaseDetails'] ?? {}) as XeroRecord;
      line['Description'] ??= item?.data['Description'];
      line['UnitAmount'] ??= details['UnitPrice'];
      line['AccountCode'] ??= details['AccountCode'];
      line['TaxType'] ??= details['TaxType'];
    }
    const accountCode = str(line['AccountCode']);
    if (accountCode) {
      const account = accounts.find((a) => sameText(a.data['Code'], accountCode) && a.data['Status'] !== 'ARCHIVED');
      if (!account || account.data['Type'] === 'BANK') errors.push(`Account code '${accountCode}' is not a valid code for this document.`);
      line['TaxType'] ??= account?.data['TaxType'];
    }
    const taxType = str(line['TaxType']);
    if (taxType && !taxRates.some((t) => t.data['TaxType'] === taxType && t.data['Status'] !== 'DELETED')) {
      errors.push(`The TaxType code '${taxType}' does not exist or cannot be used for this type of transaction.`);
    }
    return line;
  });
  if (errors.length > 0) return { lines: filled, SubTotal: 0, TotalTax: 0, Total: 0 };
  try {
    const totals = computeDocumentTotals(
      filled.map((l) => ({ Quantity: l['Quantity'], UnitAmount: l['UnitAmount'], LineAmount: l['LineAmount'], DiscountRate: l['DiscountRate'], TaxType: str(l['TaxType']) })),
      lineAmountTypes,
      (type) => (taxRates.find((t) => t.data['TaxType'] === type)?.data['EffectiveRate'] as number | undefined) ?? 0,
      ctx.unitdp,
    );
    const lines = filled.map((line, i) => {
      const priced = totals.lines[i];
      const out: XeroRecord = {
        LineItemID: str(line['LineItemID']) ?? randomUUID(),
        Description: line['Description'] ?? '',
        Quantity: priced.Quantity.toNumber(),
        UnitAmount: priced.UnitAmount.toNumber(),
        TaxType: priced.TaxType,
        TaxAmount: priced.TaxAmount.toNumber(),
        LineAmount: priced.LineAmount.toNumber(),
        Tracking: Array.isArray(line['Tracking']) ? line['Tracking'] : [],
      };
      if (line['AccountCode'] !== undefined) out['AccountCode'] = line['AccountCode'];
      if (line['ItemCode'] !== undefined) out['ItemCode'] = line['ItemCode'];
      if (priced.DiscountRate) out['DiscountRate'] = priced.DiscountRate.toNumber();
      return out;
    });
    return { lines, SubTotal: totals.SubTotal.toNumber(), TotalTax: totals.TotalTax.toNumber(), Total: totals.Total.toNumber() };
  } catch (error) {
    if (error instanceof LineAmountError) {
      errors.push(error.message);
      return { lines: filled, SubTotal: 0, TotalTax: 0, Total: 0 };
    }
    throw error;
  }
}

export function money(value: unknown): Decimal {
  return new Decimal((value as number | undefined) ?? 0);
}
