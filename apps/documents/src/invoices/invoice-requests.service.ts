import { causedBy, InvoiceRequestedPayload, LedgerlineEvent, LineItem, payloadViolations, Topics } from '@ledgerline/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { instanceToPlain } from 'class-transformer';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ContactMappings } from '../contact-mappings/contact-mappings.service';
import { DocumentQueue } from '../document-records/document-queue.service';
import { DocumentRecords } from '../document-records/document-records.service';
import { canRetry, initialStatus } from '../document-records/domain/document-status';
import { DocumentsErrorCode, DocumentsException } from '../document-records/documents.exception';
import { DocumentEntity } from '../document-records/entities/document.entity';
import { invoiceRequestProblems } from './domain/invoice-mapping';

export type AcceptOutcome = 'waiting_contact' | 'pending' | 'failed' | 'duplicate';

/** Invoice requests coming in (from Kafka) and going round again (a retry from the API). */
@Injectable()
export class InvoiceRequests {
  private readonly logger = new Logger(InvoiceRequests.name);

  constructor(
    private readonly records: DocumentRecords,
    private readonly contacts: ContactMappings,
    private readonly queue: DocumentQueue,
  ) {}

  /**
   * Records the request once per (company, requestId): ready when the client's contact is known, otherwise
   * waiting for it (with one contact.sync_requested per client), or failed at once when Xero could never take it.
   */
  async accept(event: LedgerlineEvent<typeof Topics.InvoiceRequested>, tx: EntityManager): Promise<AcceptOutcome> {
    const request = event.payload;
    const problems = invoiceRequestProblems(request);
    const contactId = problems.length === 0 ? await this.contacts.contactFor(tx, event.companyId, request.clientId) : null;
    const status: Exclude<AcceptOutcome, 'duplicate'> = problems.length > 0 ? 'failed' : initialStatus(contactId !== null);
    const failure = problems.length > 0 ? { code: 'INVALID_REQUEST' as const, messages: problems } : undefined;
    const document = {
      id: randomUUID(),
      companyId: event.companyId,
      type: 'invoice' as const,
      requestId: request.requestId,
      clientId: request.clientId,
      request: instanceToPlain(request),
      status,
      currencyCode: request.currencyCode,
      correlationId: event.correlationId,
      causationId: event.id,
      failure,
    };
    if (!(await this.records.insert(tx, document))) {
      this.logger.warn(`invoice request ${event.companyId}/${request.requestId} is already recorded; event ${event.id} has no further effect`);
      return 'duplicate';
    }
    if (failure) {
      await this.records.publishFailed(tx, document, failure);
    } else if (contactId !== null) {
      await this.queue.enqueue(tx, document, contactId);
    } else {
      await this.contacts.requestSync(tx, event.companyId, request.clientId, causedBy(event), `invoice ${request.requestId} waits for this client's Xero contact`);
    }
    return status;
  }

  /**
   * Retries a failed invoice as a new attempt (so a new idempotency key), with corrected line items if given.
   * The corrected request must satisfy the same contract as an incoming one.
   */
  async retry(tx: EntityManager, document: DocumentEntity, lineItems?: LineItem[]): Promise<'pending' | 'waiting_contact'> {
    if (!canRetry(document.status)) {
      throw new DocumentsException(DocumentsErrorCode.NotRetriable, `Only a failed document can be retried; this one is ${document.status}`);
    }
    const request = lineItems ? { ...document.request, lineItems: lineItems.map((line) => instanceToPlain(line)) } : document.request;
    const violations = payloadViolations(Topics.InvoiceRequested, request as unknown as InvoiceRequestedPayload);
    const problems = violations.length > 0 ? violations : invoiceRequestProblems(request as unknown as InvoiceRequestedPayload);
    if (problems.length > 0) throw new DocumentsException(DocumentsErrorCode.InvalidRequest, 'The corrected request is invalid', problems);

    const contactId = await this.contacts.contactFor(tx, document.companyId, document.clientId);
    const status = initialStatus(contactId !== null);
    await this.records.reopen(tx, document, request, status);
    if (contactId !== null) {
      await this.queue.enqueue(tx, { ...document, request: request as Record<string, unknown> }, contactId);
    } else {
      const origin = document.causationId ? causedBy({ id: document.causationId, correlationId: document.correlationId }) : { correlationId: document.correlationId };
      await this.contacts.requestSync(tx, document.companyId, document.clientId, origin, `invoice ${document.requestId} waits for this client's Xero contact`);
    }
    return status;
  }
}
