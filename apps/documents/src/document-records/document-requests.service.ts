import { causedBy, DocumentType, LedgerlineEvent, LineItem, payloadViolations } from '@ledgerline/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { instanceToPlain } from 'class-transformer';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ContactMappings } from '../contact-mappings/contact-mappings.service';
import { DocumentQueue } from './document-queue.service';
import { DocumentRecords } from './document-records.service';
import { DocumentTypeDefinition, documentTypeDefinition } from './document-types';
import { invoiceFromQuote } from '../invoices/domain/invoice-from-quote';
import { canRetry, initialStatus } from './domain/document-status';
import { DocumentsErrorCode, DocumentsException } from './documents.exception';
import { DocumentEntity } from './entities/document.entity';

export type AcceptOutcome = 'waiting_contact' | 'pending' | 'failed' | 'duplicate';

type RequestEvent = LedgerlineEvent<DocumentTypeDefinition['requested']>;

/**
 * Document requests (invoices, quotes, purchase orders) coming in from Kafka and going round again (a retry
 * from the API). The client's contact is the customer's for invoices and quotes and the supplier's for purchase
 * orders; either way the request waits for it the same way.
 */
@Injectable()
export class DocumentRequests {
  private readonly logger = new Logger(DocumentRequests.name);

  constructor(
    private readonly records: DocumentRecords,
    private readonly contacts: ContactMappings,
    private readonly queue: DocumentQueue,
  ) {}

  /**
   * Records the request once per (company, type, requestId): ready when the client's contact is known, otherwise
   * waiting for it (with one contact.sync_requested per client), or failed at once when Xero could never take it.
   */
  async accept(type: DocumentType, event: RequestEvent, tx: EntityManager): Promise<AcceptOutcome> {
    const definition = documentTypeDefinition(type);
    const request = event.payload;
    let plain = instanceToPlain(request);
    let problems: string[] = [];
    // An invoice that names its quote takes the quote's lines (quote → job → invoice).
    const quoteRequestId = type === 'invoice' ? plain['quoteRequestId'] : undefined;
    if (typeof quoteRequestId === 'string') {
      const quote = await this.records.lockByRequest(tx, event.companyId, 'quote', quoteRequestId);
      const taken = invoiceFromQuote(plain, quote, quoteRequestId);
      if (taken.ok) plain = taken.request;
      else problems = taken.problems;
    }
    if (problems.length === 0) problems = definition.problems(plain);
    const contactId = problems.length === 0 ? await this.contacts.contactFor(tx, event.companyId, request.clientId) : null;
    const status: Exclude<AcceptOutcome, 'duplicate'> = problems.length > 0 ? 'failed' : initialStatus(contactId !== null);
    const failure = problems.length > 0 ? { code: 'INVALID_REQUEST' as const, messages: problems } : undefined;
    const document = {
      id: randomUUID(),
      companyId: event.companyId,
      type,
      requestId: request.requestId,
      clientId: request.clientId,
      request: plain,
      status,
      currencyCode: request.currencyCode,
      correlationId: event.correlationId,
      causationId: event.id,
      failure,
    };
    if (!(await this.records.insert(tx, document))) {
      this.logger.warn(`${definition.label} request ${event.companyId}/${request.requestId} is already recorded; event ${event.id} has no further effect`);
      return 'duplicate';
    }
    if (failure) {
      await this.records.publishFailed(tx, document, failure);
    } else if (contactId !== null) {
      await this.queue.enqueue(tx, document, contactId);
    } else {
      await this.contacts.requestSync(tx, event.companyId, request.clientId, causedBy(event), `${definition.label} ${request.requestId} waits for this client's Xero contact`);
    }
    return status;
  }

  /**
   * Retries a failed document as a new attempt (so a new idempotency key), with corrected line items if given.
   * The corrected request must satisfy the same contract as an incoming one of its type.
   */
  async retry(tx: EntityManager, document: DocumentEntity, lineItems?: LineItem[]): Promise<'pending' | 'waiting_contact'> {
    if (!canRetry(document.status)) {
      throw new DocumentsException(DocumentsErrorCode.NotRetriable, `Only a failed document can be retried; this one is ${document.status}`);
    }
    const definition = documentTypeDefinition(document.type);
    const request = lineItems ? { ...document.request, lineItems: lineItems.map((line) => instanceToPlain(line)) } : document.request;
    const violations = payloadViolations(definition.requested, request as never);
    const problems = violations.length > 0 ? violations : definition.problems(request);
    if (problems.length > 0) throw new DocumentsException(DocumentsErrorCode.InvalidRequest, 'The corrected request is invalid', problems);

    const contactId = await this.contacts.contactFor(tx, document.companyId, document.clientId);
    const status = initialStatus(contactId !== null);
    await this.records.reopen(tx, document, request, status);
    if (contactId !== null) {
      await this.queue.enqueue(tx, { ...document, request: request as Record<string, unknown> }, contactId);
    } else {
      const origin = document.causationId ? causedBy({ id: document.causationId, correlationId: document.correlationId }) : { correlationId: document.correlationId };
      await this.contacts.requestSync(tx, document.companyId, document.clientId, origin, `${definition.label} ${document.requestId} waits for this client's Xero contact`);
    }
    return status;
  }
}
