import type { InvoiceRequestedPayload, LineAmountType } from '@ledgerline/contracts';
import { DocumentMappingError, exactNumber, mapLines, PLACEHOLDER_CONTACT_ID, XeroLineItemDraft } from '../../document-records/domain/document-lines';

export { exactNumber };
export type { XeroLineItemDraft };

/** The request cannot become a Xero invoice as it stands; `problems` say why, field by field. */
export class InvoiceMappingError extends DocumentMappingError {
  constructor(problems: string[]) {
    super(problems, 'invoice');
    this.name = 'InvoiceMappingError';
  }
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

function buildInvoice(request: InvoiceRequestedPayload, contactId: string, problems: string[]): XeroInvoiceDraft {
  const invoice: XeroInvoiceDraft = {
    type: 'ACCREC',
    contact: { contactID: contactId },
    lineItems: mapLines(request, problems),
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
  buildInvoice(request, PLACEHOLDER_CONTACT_ID, problems);
  return problems;
}

/** The Xero invoice for a request and the client's Xero contact. Pure: the same inputs give the same invoice. */
export function toXeroInvoice(request: InvoiceRequestedPayload, contactId: string): XeroInvoiceDraft {
  const problems: string[] = [];
  const invoice = buildInvoice(request, contactId, problems);
  if (problems.length > 0) throw new InvoiceMappingError(problems);
  return invoice;
}
