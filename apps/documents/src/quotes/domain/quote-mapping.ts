import type { QuoteRequestedPayload } from '@ledgerline/contracts';
import { DocumentMappingError, mapLines, PLACEHOLDER_CONTACT_ID, XeroLineItemDraft } from '../../document-records/domain/document-lines';
import { createdDocument, DocumentAnswer, ElementResult, XeroDocumentRecord } from '../../document-records/domain/document-outcome';

/** Xero's quotes spell line amount types in capitals (QuoteLineAmountTypes), unlike invoices. */
export const QUOTE_LINE_AMOUNT_TYPES = { Exclusive: 'EXCLUSIVE', Inclusive: 'INCLUSIVE', NoTax: 'NOTAX' } as const;

/** A quote as Xero takes it, in the shape of xero-node's `Quote`. */
export interface XeroQuoteDraft {
  contact: { contactID: string };
  lineItems: XeroLineItemDraft[];
  date: string;
  expiryDate?: string;
  reference?: string;
  title?: string;
  summary?: string;
  currencyCode: string;
  lineAmountTypes?: (typeof QUOTE_LINE_AMOUNT_TYPES)[keyof typeof QUOTE_LINE_AMOUNT_TYPES];
  status: 'DRAFT' | 'SENT';
}

function buildQuote(request: QuoteRequestedPayload, contactId: string, problems: string[]): XeroQuoteDraft {
  const quote: XeroQuoteDraft = {
    contact: { contactID: contactId },
    lineItems: mapLines(request, problems),
    date: request.date,
    currencyCode: request.currencyCode,
    status: request.status,
  };
  if (request.expiryDate !== undefined) {
    quote.expiryDate = request.expiryDate;
    // Xero refuses a quote that expires before it is dated; say so before any call.
    if (request.expiryDate < request.date) problems.push(`expiryDate: ${request.expiryDate} is before the quote's date ${request.date}`);
  }
  if (request.reference !== undefined) quote.reference = request.reference;
  if (request.title !== undefined) quote.title = request.title;
  if (request.summary !== undefined) quote.summary = request.summary;
  if (request.lineAmountTypes !== undefined) quote.lineAmountTypes = QUOTE_LINE_AMOUNT_TYPES[request.lineAmountTypes];
  return quote;
}

/** What is wrong with a (contract-valid) quote request that Xero could never accept; empty when nothing is. */
export function quoteRequestProblems(request: QuoteRequestedPayload): string[] {
  const problems: string[] = [];
  buildQuote(request, PLACEHOLDER_CONTACT_ID, problems);
  return problems;
}

/** The Xero quote for a request and the client's Xero contact. Pure: the same inputs give the same quote. */
export function toXeroQuote(request: QuoteRequestedPayload, contactId: string): XeroQuoteDraft {
  const problems: string[] = [];
  const quote = buildQuote(request, contactId, problems);
  if (problems.length > 0) throw new DocumentMappingError(problems, 'quote');
  return quote;
}

export interface XeroQuoteRecord extends XeroDocumentRecord {
  quoteID?: string;
  quoteNumber?: string;
}

/** What Xero's quote record means for its request. */
export const createdQuote = (record: XeroQuoteRecord, requestedCurrency: string): DocumentAnswer =>
  createdDocument(record, { id: record.quoteID, number: record.quoteNumber, what: 'quote' }, requestedCurrency);

/** What one element of a quote batch means for its request. */
export function quoteAnswer(result: ElementResult<XeroQuoteRecord>, requestedCurrency: string): DocumentAnswer {
  if (!result.ok) return { ok: false, failure: { code: 'XERO_VALIDATION', messages: result.messages } };
  return createdQuote(result.record, requestedCurrency);
}
