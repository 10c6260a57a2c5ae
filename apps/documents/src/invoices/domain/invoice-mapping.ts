import type { InvoiceRequestedPayload, LineAmountType, LineItem } from '@ledgerline/contracts';
import Decimal from 'decimal.js';

/** One line of a Xero invoice, in the shape of xero-node's `LineItem` (camelCase, numbers as JSON numbers). */
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

/** A sales invoice as Xero takes it, in the shape of xero-node's `Invoice`. */
export interface XeroInvoiceDraft {
  type: 'ACCREC';
  contact: { contactID: string };
  lineItems: XeroLineItemDraft[];
  date: string;
  dueDate?: string;
  reference?: string;
  currencyCode: string;
  lineAmountTypes?: LineAmountType;
  status: 'DRAFT' | 'AUTHORISED';
}

/** The request cannot become a Xero invoice as it stands; `problems` say why, field by field. */
export class InvoiceMappingError extends Error {
  readonly code = 'INVALID_REQUEST';

  constructor(readonly problems: string[]) {
    super(`the invoice request cannot be sent to Xero: ${problems.join('; ')}`);
    this.name = 'InvoiceMappingError';
  }
}

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

function mapLine(line: LineItem, index: number, problems: string[]): XeroLineItemDraft {
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

function buildInvoice(request: InvoiceRequestedPayload, contactId: string, problems: string[]): XeroInvoiceDraft {
  const invoice: XeroInvoiceDraft = {
    type: 'ACCREC',
    contact: { contactID: contactId },
    lineItems: request.lineItems.map((line, index) => mapLine(line, index, problems)),
    date: request.date,
    currencyCode: request.currencyCode,
    status: request.status,
  };
  if (request.dueDate !== undefined) invoice.dueDate = request.dueDate;
  if (request.reference !== undefined) invoice.reference = request.reference;
  if (request.lineAmountTypes !== undefined) invoice.lineAmountTypes = request.lineAmountTypes;
  return invoice;
}

/** What is wrong with a (contract-valid) request that Xero could never accept; empty when nothing is. */
export function invoiceRequestProblems(request: InvoiceRequestedPayload): string[] {
  const problems: string[] = [];
  buildInvoice(request, '00000000-0000-0000-0000-000000000000', problems);
  return problems;
}

/** The Xero invoice for a request and the client's Xero contact. Pure: the same inputs give the same invoice. */
export function toXeroInvoice(request: InvoiceRequestedPayload, contactId: string): XeroInvoiceDraft {
  const problems: string[] = [];
  const invoice = buildInvoice(request, contactId, problems);
  if (problems.length > 0) throw new InvoiceMappingError(problems);
  return invoice;
}
