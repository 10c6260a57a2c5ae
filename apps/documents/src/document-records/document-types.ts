import { DocumentType, InvoiceRequestedPayload, PurchaseOrderRequestedPayload, QuoteRequestedPayload, Topics } from '@ledgerline/contracts';
import { invoiceRequestProblems } from '../invoices/domain/invoice-mapping';
import { purchaseOrderRequestProblems } from '../purchase-orders/domain/purchase-order-mapping';
import { quoteRequestProblems } from '../quotes/domain/quote-mapping';
import { CreatedDocument } from './domain/document-outcome';

type RequestTopic = typeof Topics.InvoiceRequested | typeof Topics.QuoteRequested | typeof Topics.PurchaseOrderRequested;

/**
 * What differs between document types outside the Xero call: the topics of its request and outcomes, what
 * Xero could never take, and what its created event carries. The Xero side is the type's `DocumentKind`.
 * Adding a type is an entry here (the map must name every `DocumentType`) and its kind in the module.
 */
export interface DocumentTypeDefinition {
  readonly type: DocumentType;
  /** In messages: "quote 42 waits for this client's Xero contact". */
  readonly label: string;
  readonly requested: RequestTopic;
  readonly created: typeof Topics.InvoiceCreated | typeof Topics.QuoteCreated | typeof Topics.PurchaseOrderCreated;
  readonly failed: typeof Topics.InvoiceFailed | typeof Topics.QuoteFailed | typeof Topics.PurchaseOrderFailed;
  /** The name of the type's create kind on the operations engine (its `DocumentKind`). */
  readonly createKind: string;
  /** Pure: why a contract-valid request could never become a Xero document (empty when it can). */
  problems(request: Record<string, unknown>): string[];
  /** Fields of the created event beyond those every document shares. */
  createdExtras(outcome: CreatedDocument): Record<string, string>;
}

export const DOCUMENT_TYPE_DEFINITIONS: { readonly [T in DocumentType]: DocumentTypeDefinition & { type: T } } = {
  invoice: {
    type: 'invoice',
    label: 'invoice',
    requested: Topics.InvoiceRequested,
    created: Topics.InvoiceCreated,
    failed: Topics.InvoiceFailed,
    createKind: 'invoice.create',
    problems: (request) => invoiceRequestProblems(request as unknown as InvoiceRequestedPayload),
    createdExtras: (outcome) => ({ amountDue: outcome.amountDue ?? outcome.total }),
  },
  quote: {
    type: 'quote',
    label: 'quote',
    requested: Topics.QuoteRequested,
    created: Topics.QuoteCreated,
    failed: Topics.QuoteFailed,
    createKind: 'quote.create',
    problems: (request) => quoteRequestProblems(request as unknown as QuoteRequestedPayload),
    createdExtras: () => ({}),
  },
  purchase_order: {
    type: 'purchase_order',
    label: 'purchase order',
    requested: Topics.PurchaseOrderRequested,
    created: Topics.PurchaseOrderCreated,
    failed: Topics.PurchaseOrderFailed,
    createKind: 'purchase_order.create',
    problems: (request) => purchaseOrderRequestProblems(request as unknown as PurchaseOrderRequestedPayload),
    createdExtras: () => ({}),
  },
};

export const documentTypeDefinition = (type: DocumentType): DocumentTypeDefinition => DOCUMENT_TYPE_DEFINITIONS[type];
