import { DocumentType } from '@ledgerline/contracts';
import { DocumentOutcome, ElementResult } from './domain/batch-outcome';

/**
 * How one document type travels to Xero. The dispatcher batches, persists, leases and resends; a sender only
 * builds one element of the body, makes the batch call and reads one element of the answer.
 */
export interface DocumentSender {
  readonly type: DocumentType;
  /** The Xero element for a stored request and the client's contact; pure, so it is stored with the batch. */
  buildElement(request: Record<string, unknown>, xeroContactId: string): unknown;
  /** One batch call with per-element results, in request order; throws for a whole-call failure. */
  send(companyId: string, elements: unknown[], idempotencyKey: string): Promise<ElementResult<unknown>[]>;
  /** What one element's result means for its document. */
  outcome(result: ElementResult<unknown>, currencyCode: string): DocumentOutcome;
}

export const DOCUMENT_SENDERS = Symbol('DOCUMENT_SENDERS');
