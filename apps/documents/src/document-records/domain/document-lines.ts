import type { DocumentRequest, LineItem } from '@ledgerline/contracts';
import Decimal from 'decimal.js';

/** One line of a Xero document (invoice, quote, purchase order), in the shape of xero-node's `LineItem`. */
export interface XeroLineItemDraft {
  description: string;
  quantity: number;
  unitAmount: number;
  accountCode?: string;
  taxType?: string;
  itemCode?: string;
  discountRate?: number;
  tracking?: { name: string; option: string }[];
}

/** The request cannot become a Xero document as it stands; `problems` say why, field by field. */
export class DocumentMappingError extends Error {
  readonly code = 'INVALID_REQUEST';

  constructor(
    readonly problems: string[],
    what = 'document',
  ) {
    super(`the ${what} request cannot be sent to Xero: ${problems.join('; ')}`);
    this.name = 'DocumentMappingError';
  }
}

/** Stands in for the client's contact when a request is only checked (no contact is known yet). */
export const PLACEHOLDER_CONTACT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Xero's JSON carries amounts as numbers. A decimal string becomes one only when the number is exactly the
 * same decimal (true for anything with at most 15 significant digits); nothing is ever summed as a float.
 */
export function exactNumber(value: string, field: string, problems: string[]): number {
  const decimal = new Decimal(value);
  const number = decimal.toNumber();
  if (!Number.isFinite(number) || !new Decimal(number).equals(decimal)) {
    problems.push(`${field}: ${value} has more significant digits than Xero can take`);
  }
  return number;
}

export function mapLine(line: LineItem, index: number, problems: string[]): XeroLineItemDraft {
  const field = (name: string) => `lineItems[${index}].${name}`;
  const draft: XeroLineItemDraft = {
    description: line.description,
    quantity: exactNumber(line.quantity, field('quantity'), problems),
    unitAmount: exactNumber(line.unitAmount, field('unitAmount'), problems),
  };
  if (line.accountCode !== undefined) draft.accountCode = line.accountCode;
  if (line.taxType !== undefined) draft.taxType = line.taxType;
  if (line.itemCode !== undefined) draft.itemCode = line.itemCode;
  if (line.discountRate !== undefined) draft.discountRate = exactNumber(line.discountRate, field('discountRate'), problems);
  if (line.tracking !== undefined && line.tracking.length > 0) draft.tracking = line.tracking.map(({ name, option }) => ({ name, option }));
  return draft;
}

export const mapLines = (request: Pick<DocumentRequest, 'lineItems'>, problems: string[]): XeroLineItemDraft[] =>
  request.lineItems.map((line, index) => mapLine(line, index, problems));
