import { causedBy, DocumentType, FailureDetail, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { queryRows } from '@ledgerline/platform';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Tables } from '../database/tables';
import { CreatedDocument } from './domain/document-outcome';
import { DocumentStatus, statusesBefore } from './domain/document-status';
import { documentTypeDefinition } from './document-types';
import { DocumentsErrorCode, DocumentsException } from './documents.exception';
import { DocumentEntity } from './entities/document.entity';

export interface NewDocument {
  id: string;
  companyId: string;
  type: DocumentType;
  requestId: string;
  clientId: string;
  request: object;
  status: DocumentStatus;
  currencyCode: string;
  correlationId: string;
  causationId: string;
  failure?: FailureDetail;
}

/**
 * Every change to a document record, each inside the caller's transaction, and the outcome events that
 * announce them (through the outbox, so the event goes out if and only if the change commits).
 */
@Injectable()
export class DocumentRecords {
  constructor(private readonly publisher: EventPublisher) {}

  /** Records a new request; false when the company already has a request of this type with this id. */
  async insert(tx: EntityManager, document: NewDocument): Promise<boolean> {
    const terminal = document.status === 'failed';
    const inserted: unknown[] = await tx.query(
      `INSERT INTO ${Tables.documents}
         ("id", "company_id", "type", "request_id", "client_id", "request", "status", "ready_at", "currency_code",
          "correlation_id", "causation_id", "last_error_code", "last_error_messages", "last_error_at", "completed_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7::varchar, CASE WHEN $7::varchar = 'pending' THEN now() END, $8, $9, $10, $11::varchar, $12::jsonb,
               CASE WHEN $11::varchar IS NOT NULL THEN now() END, CASE WHEN $13::boolean THEN now() END)
       ON CONFLICT ("company_id", "type", "request_id") DO NOTHING
       RETURNING "id"`,
      [
        document.id,
        document.companyId,
        document.type,
        document.requestId,
        document.clientId,
        JSON.stringify(document.request),
        document.status,
        document.currencyCode,
        document.correlationId,
        document.causationId,
        document.failure?.code ?? null,
        document.failure ? JSON.stringify(document.failure.messages) : null,
        terminal,
      ],
    );
    return inserted.length > 0;
  }

  find(tx: EntityManager, id: string): Promise<DocumentEntity | null> {
    return tx.getRepository(DocumentEntity).findOne({ where: { id } });
  }

  /** The company's document, locked for the rest of the transaction; another company's is not found. */
  async lockOwn(tx: EntityManager, companyId: string, id: string): Promise<DocumentEntity> {
    const document = await tx.getRepository(DocumentEntity).findOne({
      where: { id, companyId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!document) throw DocumentsException.notFound();
    return document;
  }

  /** The company's document for a request, locked for the rest of the transaction (null when there is none). */
  lockByRequest(tx: EntityManager, companyId: string, type: DocumentType, requestId: string): Promise<DocumentEntity | null> {
    return tx.getRepository(DocumentEntity).findOne({
      where: { companyId, type, requestId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** A document of the company, locked for the rest of the transaction (null when there is none). */
  lock(tx: EntityManager, companyId: string, id: string): Promise<DocumentEntity | null> {
    return tx.getRepository(DocumentEntity).findOne({
      where: { id, companyId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  lockWaiting(tx: EntityManager, companyId: string, clientId: string): Promise<DocumentEntity[]> {
    return tx.getRepository(DocumentEntity).find({
      where: { companyId, clientId, status: 'waiting_contact' },
      order: { createdAt: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * The client's contact is known now: every document waiting for it (for the contact, or for a connection before
   * its contact could be synced) becomes ready, with that contact. Returns them, to be sent.
   */
  async resumeWaiting(tx: EntityManager, companyId: string, clientId: string, xeroContactId: string): Promise<DocumentEntity[]> {
    const rows: { id: string }[] = await queryRows(
      tx,
      `UPDATE ${Tables.documents} SET "status" = 'pending', "xero_contact_id" = $3, "ready_at" = now(), "updated_at" = now()
       WHERE "company_id" = $1 AND "client_id" = $2
         AND ("status" = 'waiting_contact' OR ("status" = 'waiting_connection' AND "xero_contact_id" IS NULL))
         AND "status" = ANY($4::varchar[])
       RETURNING "id"`,
      [companyId, clientId, xeroContactId, statusesBefore('pending')],
    );
    if (rows.length === 0) return [];
    return tx.getRepository(DocumentEntity).find({
      where: { id: In(rows.map((r) => r.id)) },
      order: { createdAt: 'ASC' },
    });
  }

  /**
   * The company connected: documents whose own Xero operation waited go back to pending (the engine resumes the
   * operations); documents that waited before their contact could be synced wait for the contact again. Returns
   * the clients whose contact must be asked for.
   */
  async resumeConnected(tx: EntityManager, companyId: string): Promise<{ pending: number; clientIds: string[] }> {
    const pending: unknown[] = await queryRows(
      tx,
      `UPDATE ${Tables.documents} SET "status" = 'pending', "ready_at" = now(), "updated_at" = now()
       WHERE "company_id" = $1 AND "status" = 'waiting_connection' AND "xero_contact_id" IS NOT NULL AND "status" = ANY($2::varchar[])
       RETURNING "id"`,
      [companyId, statusesBefore('pending')],
    );
    const waiting: { client_id: string }[] = await queryRows(
      tx,
      `UPDATE ${Tables.documents} SET "status" = 'waiting_contact', "ready_at" = NULL, "updated_at" = now()
       WHERE "company_id" = $1 AND "status" = 'waiting_connection' AND "xero_contact_id" IS NULL AND "status" = ANY($2::varchar[])
       RETURNING "client_id"`,
      [companyId, statusesBefore('waiting_contact')],
    );
    return {
      pending: pending.length,
      clientIds: [...new Set(waiting.map((w) => w.client_id))],
    };
  }

  /** The company has no usable Xero connection: the document is kept, waiting for one, with the reason. */
  async markWaitingConnection(tx: EntityManager, id: string, failure: FailureDetail): Promise<boolean> {
    const updated: unknown[] = await queryRows(
      tx,
      `UPDATE ${Tables.documents}
       SET "status" = 'waiting_connection', "ready_at" = NULL, "last_error_code" = $2, "last_error_messages" = $3, "last_error_at" = now(), "updated_at" = now()
       WHERE "id" = $1 AND "status" = ANY($4::varchar[])
       RETURNING "id"`,
      [id, failure.code, JSON.stringify(failure.messages), statusesBefore('waiting_connection')],
    );
    return updated.length > 0;
  }

  /** A transient failure on the way to Xero: the document stays pending and shows why. */
  async noteTransientFailure(tx: EntityManager, id: string, failure: FailureDetail): Promise<void> {
    await tx.query(
      `UPDATE ${Tables.documents} SET "last_error_code" = $2, "last_error_messages" = $3, "last_error_at" = now(), "updated_at" = now()
       WHERE "id" = $1 AND "status" = 'pending'`,
      [id, failure.code, JSON.stringify(failure.messages)],
    );
  }

  /** Xero has the document: record what it said and announce it. */
  async markCreated(tx: EntityManager, document: DocumentEntity, outcome: CreatedDocument): Promise<boolean> {
    const updated: unknown[] = await queryRows(
      tx,
      `UPDATE ${Tables.documents}
       SET "status" = 'created', "xero_id" = $2, "xero_number" = $3, "xero_status" = $4, "sub_total" = $5, "total_tax" = $6,
           "total" = $7, "amount_due" = $8, "currency_code" = $9, "last_error_code" = NULL, "last_error_messages" = NULL,
           "last_error_at" = NULL, "completed_at" = now(), "updated_at" = now()
       WHERE "id" = $1 AND "status" = ANY($10::varchar[])
       RETURNING "id"`,
      [
        document.id,
        outcome.xeroId,
        outcome.number,
        outcome.status,
        outcome.subTotal,
        outcome.totalTax,
        outcome.total,
        outcome.amountDue ?? null,
        outcome.currencyCode,
        statusesBefore('created'),
      ],
    );
    if (updated.length === 0) return false;
    const origin = this.origin(document);
    const common = {
      requestId: document.requestId,
      clientId: document.clientId,
      xeroId: outcome.xeroId,
      number: outcome.number,
      status: outcome.status,
      subTotal: outcome.subTotal,
      totalTax: outcome.totalTax,
      total: outcome.total,
      currencyCode: outcome.currencyCode,
    };
    const definition = documentTypeDefinition(document.type);
    await this.publisher.publish(tx, definition.created, document.companyId, { ...common, ...definition.createdExtras(outcome) } as never, origin);
    return true;
  }

  /** The document cannot be raised as it stands: record why and announce it. */
  async markFailed(tx: EntityManager, document: DocumentEntity, failure: FailureDetail): Promise<boolean> {
    const updated: unknown[] = await queryRows(
      tx,
      `UPDATE ${Tables.documents}
       SET "status" = 'failed', "last_error_code" = $2, "last_error_messages" = $3, "last_error_at" = now(),
           "completed_at" = now(), "updated_at" = now()
       WHERE "id" = $1 AND "status" = ANY($4::varchar[])
       RETURNING "id"`,
      [document.id, failure.code, JSON.stringify(failure.messages), statusesBefore('failed')],
    );
    if (updated.length === 0) return false;
    await this.publishFailed(tx, document, failure);
    return true;
  }

  async publishFailed(
    tx: EntityManager,
    document: Pick<DocumentEntity, 'type' | 'companyId' | 'requestId' | 'clientId' | 'correlationId' | 'causationId'>,
    failure: FailureDetail,
  ): Promise<void> {
    const payload = {
      requestId: document.requestId,
      clientId: document.clientId,
      failure: { code: failure.code, messages: failure.messages },
    };
    await this.publisher.publish(tx, documentTypeDefinition(document.type).failed, document.companyId, payload, this.origin(document));
  }

  /** A cancel is under way: by which request, and why. */
  async noteCancelRequested(tx: EntityManager, id: string, cancel: { eventId: string; correlationId: string; reason: string | null }): Promise<void> {
    await tx.query(
      `UPDATE ${Tables.documents}
       SET "cancel_requested_at" = now(), "cancel_event_id" = $2, "cancel_correlation_id" = $3, "cancel_reason" = $4, "cancel_failure" = NULL, "updated_at" = now()
       WHERE "id" = $1`,
      [id, cancel.eventId, cancel.correlationId, cancel.reason],
    );
  }

  /**
   * The document is withdrawn: deleted or voided in Xero (`xeroStatus`), or stopped before it reached Xero (null).
   * The record stays, with when, by which request and why; document.cancelled announces it.
   */
  async markCancelled(tx: EntityManager, document: Pick<DocumentEntity, 'id' | 'type' | 'companyId' | 'requestId' | 'xeroId'>, xeroStatus: 'DELETED' | 'VOIDED' | null): Promise<boolean> {
    const updated: { cancel_event_id: string | null; cancel_correlation_id: string | null; cancel_reason: string | null }[] = await queryRows(
      tx,
      `UPDATE ${Tables.documents}
       SET "status" = 'cancelled', "xero_status" = COALESCE($2::varchar, "xero_status"),
           "amount_due" = CASE WHEN $2::varchar IS NOT NULL AND "amount_due" IS NOT NULL THEN 0 ELSE "amount_due" END,
           "cancel_requested_at" = NULL, "cancelled_at" = now(), "completed_at" = COALESCE("completed_at", now()), "updated_at" = now()
       WHERE "id" = $1 AND "status" = ANY($3::varchar[])
       RETURNING "cancel_event_id", "cancel_correlation_id", "cancel_reason"`,
      [document.id, xeroStatus, statusesBefore('cancelled')],
    );
    if (updated.length === 0) return false;
    const [cancel] = updated;
    await this.publisher.publish(
      tx,
      Topics.DocumentCancelled,
      document.companyId,
      {
        documentType: document.type,
        requestId: document.requestId,
        ...(xeroStatus && document.xeroId ? { xeroId: document.xeroId } : {}),
        status: xeroStatus ?? 'NOT_SENT',
        ...(cancel.cancel_reason ? { reason: cancel.cancel_reason } : {}),
      },
      this.cancelOrigin(document.id, cancel),
    );
    return true;
  }

  /** Xero's rules (or Xero) refused the cancel: the document stays as it was, with why; document.cancel_failed says so. */
  async markCancelFailed(tx: EntityManager, document: Pick<DocumentEntity, 'id' | 'type' | 'companyId' | 'requestId'>, failure: FailureDetail): Promise<void> {
    const [cancel]: { cancel_event_id: string | null; cancel_correlation_id: string | null }[] = await queryRows(
      tx,
      `UPDATE ${Tables.documents} SET "cancel_requested_at" = NULL, "cancel_failure" = $2, "updated_at" = now()
       WHERE "id" = $1 RETURNING "cancel_event_id", "cancel_correlation_id"`,
      [document.id, JSON.stringify({ code: failure.code, messages: failure.messages })],
    );
    await this.publisher.publish(
      tx,
      Topics.DocumentCancelFailed,
      document.companyId,
      { documentType: document.type, requestId: document.requestId, failure: { code: failure.code, messages: failure.messages } },
      this.cancelOrigin(document.id, cancel),
    );
  }

  /** A retry: the next attempt (so a new idempotency key), possibly corrected, back in the flow. */
  async reopen(tx: EntityManager, document: DocumentEntity, request: object, status: 'pending' | 'waiting_contact'): Promise<void> {
    const updated: unknown[] = await queryRows(
      tx,
      `UPDATE ${Tables.documents}
       SET "status" = $2::varchar, "request" = $3, "attempt" = "attempt" + 1,
           "ready_at" = CASE WHEN $2::varchar = 'pending' THEN now() END, "xero_contact_id" = NULL,
           "last_error_code" = NULL, "last_error_messages" = NULL, "last_error_at" = NULL,
           "completed_at" = NULL, "updated_at" = now()
       WHERE "id" = $1 AND "status" = ANY($4::varchar[])
       RETURNING "id"`,
      [document.id, status, JSON.stringify(request), statusesBefore(status)],
    );
    if (updated.length === 0) throw new DocumentsException(DocumentsErrorCode.NotRetriable, `A ${document.status} document cannot go back to ${status}`);
  }

  /** Cancel outcomes continue the cancel request's flow. */
  private cancelOrigin(id: string, cancel: { cancel_event_id: string | null; cancel_correlation_id: string | null } | undefined) {
    return cancel?.cancel_event_id ? causedBy({ id: cancel.cancel_event_id, correlationId: cancel.cancel_correlation_id ?? cancel.cancel_event_id }) : { correlationId: id };
  }

  /** Outcome events continue the request's flow: same correlation id, caused by the request event. */
  private origin(document: Pick<DocumentEntity, 'correlationId' | 'causationId'>) {
    return document.causationId
      ? causedBy({
          id: document.causationId,
          correlationId: document.correlationId,
        })
      : { correlationId: document.correlationId };
  }
}
