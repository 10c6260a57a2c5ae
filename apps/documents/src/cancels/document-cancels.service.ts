import { causedBy, LedgerlineEvent, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { OperationStore } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DocumentRecords } from '../document-records/document-records.service';
import { documentTypeDefinition } from '../document-records/document-types';
import { DocumentEntity } from '../document-records/entities/document.entity';
import { DocumentCancelKind } from './document-cancel.kind';

export type CancelOutcome = 'not_found' | 'duplicate' | 'cancelled_locally' | 'sent_to_xero' | 'after_create';

/**
 * document.cancel_requested: the request's document is withdrawn. One that reached Xero is deleted or voided
 * there (the cancel kind, on the operations engine); one that has not is cancelled here without a call; one on
 * its way to Xero right now is cancelled once its create answer arrives. The record is kept either way.
 */
@Injectable()
export class DocumentCancels {
  private readonly logger = new Logger(DocumentCancels.name);

  constructor(
    private readonly records: DocumentRecords,
    private readonly operations: OperationStore,
    private readonly cancelKind: DocumentCancelKind,
    private readonly publisher: EventPublisher,
  ) {}

  async request(event: LedgerlineEvent<typeof Topics.DocumentCancelRequested>, tx: EntityManager): Promise<CancelOutcome> {
    const { documentType, requestId, reason } = event.payload;
    const document = await this.records.lockByRequest(tx, event.companyId, documentType, requestId);
    if (!document) {
      const messages = [`No ${documentTypeDefinition(documentType).label} request ${requestId} is known for this company`];
      await this.publisher.publish(tx, Topics.DocumentCancelFailed, event.companyId, { documentType, requestId, failure: { code: 'DOCUMENT_NOT_FOUND', messages } }, causedBy(event));
      return 'not_found';
    }
    if (document.status === 'cancelled' || document.cancelRequestedAt !== null) {
      this.logger.warn(`${documentType} ${event.companyId}/${requestId} is already ${document.status === 'cancelled' ? 'cancelled' : 'being cancelled'}; event ${event.id} has no further effect`);
      return 'duplicate';
    }
    await this.records.noteCancelRequested(tx, document.id, { eventId: event.id, correlationId: event.correlationId, reason: reason ?? null });
    const noted = { ...document, cancelEventId: event.id, cancelCorrelationId: event.correlationId, cancelReason: reason ?? null };

    if (document.status === 'created') {
      await this.sendToXero(tx, noted);
      return 'sent_to_xero';
    }
    const unfinished = await this.operations.unfinished(tx, document.companyId, documentTypeDefinition(document.type).createKind, document.id);
    if (unfinished.some((operation) => operation.batchId !== null)) return 'after_create';
    await this.operations.withdraw(
      tx,
      document.companyId,
      unfinished.map((o) => o.id),
      { code: 'CANCELLED', messages: [`Withdrawn by cancel request ${event.id} before it reached Xero`] },
    );
    await this.records.markCancelled(tx, document, null);
    return 'cancelled_locally';
  }

  /** The create answer arrived for a document whose cancel waited for it. */
  async afterCreated(tx: EntityManager, document: DocumentEntity, xeroId: string): Promise<void> {
    if (document.cancelRequestedAt === null) return;
    await this.sendToXero(tx, { ...document, xeroId });
  }

  /** Xero refused the create of a document whose cancel waited for it: nothing is left in Xero to withdraw. */
  async afterFailed(tx: EntityManager, document: DocumentEntity): Promise<void> {
    if (document.cancelRequestedAt === null) return;
    await this.records.markCancelled(tx, document, null);
  }

  private async sendToXero(tx: EntityManager, document: Pick<DocumentEntity, 'id' | 'companyId' | 'type' | 'xeroId' | 'cancelEventId' | 'cancelCorrelationId' | 'cancelReason'>): Promise<void> {
    await this.operations.record(tx, this.cancelKind, {
      companyId: document.companyId,
      target: document.id,
      body: { documentType: document.type, xeroId: document.xeroId as string, ...(document.cancelReason ? { reason: document.cancelReason } : {}) },
      correlationId: document.cancelCorrelationId ?? document.id,
      causationId: document.cancelEventId ?? undefined,
    });
  }
}
