import type { LineAmountType, PurchaseOrderRequestedPayload } from '@ledgerline/contracts';
import { DocumentMappingError, mapLines, PLACEHOLDER_CONTACT_ID, XeroLineItemDraft } from '../../document-records/domain/document-lines';
import { createdDocument, DocumentAnswer, ElementResult, XeroDocumentRecord } from '../../document-records/domain/document-outcome';

/** A purchase order to a supplier as Xero takes it, in the shape of xero-node's `PurchaseOrder`. */
export interface XeroPurchaseOrderDraft {
  contact: { contactID: string };
  lineItems: XeroLineItemDraft[];
  date: string;
  deliveryDate?: string;
  deliveryAddress?: string;
  reference?: string;
  currencyCode: string;
  lineAmountTypes?: LineAmountType;
  status: 'DRAFT' | 'SUBMITTED' | 'AUTHORISED';
}

function buildPurchaseOrder(request: PurchaseOrderRequestedPayload, contactId: string, problems: string[]): XeroPurchaseOrderDraft {
  const order: XeroPurchaseOrderDraft = {
    contact: { contactID: contactId },
    lineItems: mapLines(request, problems),
    date: request.date,
    currencyCode: request.currencyCode,
    status: request.status,
  };
  if (request.deliveryDate !== undefined) {
    order.deliveryDate = request.deliveryDate;
    if (request.deliveryDate < request.date) problems.push(`deliveryDate: ${request.deliveryDate} is before the order's date ${request.date}`);
  }
  if (request.deliveryAddress !== undefined) order.deliveryAddress = request.deliveryAddress;
  if (request.reference !== undefined) order.reference = request.reference;
  if (request.lineAmountTypes !== undefined) order.lineAmountTypes = request.lineAmountTypes;
  return order;
}

/** What is wrong with a (contract-valid) purchase order request that Xero could never accept; empty when nothing is. */
export function purchaseOrderRequestProblems(request: PurchaseOrderRequestedPayload): string[] {
  const problems: string[] = [];
  buildPurchaseOrder(request, PLACEHOLDER_CONTACT_ID, problems);
  return problems;
}

/** The Xero purchase order for a request and the supplier's Xero contact. Pure. */
export function toXeroPurchaseOrder(request: PurchaseOrderRequestedPayload, contactId: string): XeroPurchaseOrderDraft {
  const problems: string[] = [];
  const order = buildPurchaseOrder(request, contactId, problems);
  if (problems.length > 0) throw new DocumentMappingError(problems, 'purchase order');
  return order;
}

export interface XeroPurchaseOrderRecord extends XeroDocumentRecord {
  purchaseOrderID?: string;
  purchaseOrderNumber?: string;
}

export const createdPurchaseOrder = (record: XeroPurchaseOrderRecord, requestedCurrency: string): DocumentAnswer =>
  createdDocument(record, { id: record.purchaseOrderID, number: record.purchaseOrderNumber, what: 'purchase order' }, requestedCurrency);

export function purchaseOrderAnswer(result: ElementResult<XeroPurchaseOrderRecord>, requestedCurrency: string): DocumentAnswer {
  if (!result.ok) return { ok: false, failure: { code: 'XERO_VALIDATION', messages: result.messages } };
  return createdPurchaseOrder(result.record, requestedCurrency);
}
