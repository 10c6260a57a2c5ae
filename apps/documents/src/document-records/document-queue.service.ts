import { OperationStore } from '@ledgerline/xero-operations';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { DOCUMENT_KINDS, DocumentKind } from './document-kind';
import { DocumentsErrorCode, DocumentsException } from './documents.exception';
import { DocumentEntity } from './entities/document.entity';

/** Hands a ready document to the operations engine: its body for Xero, built once and stored with the operation. */
@Injectable()
export class DocumentQueue {
  private readonly kinds: Map<string, DocumentKind>;

  constructor(
    private readonly operations: OperationStore,
    @Inject(DOCUMENT_KINDS) kinds: DocumentKind[],
  ) {
    this.kinds = new Map(kinds.map((k) => [k.documentType, k]));
  }

  /** Inside the caller's transaction: the document is pending with this contact, and its operation is recorded. */
  async enqueue(tx: EntityManager, document: Pick<DocumentEntity, 'id' | 'companyId' | 'type' | 'request' | 'correlationId' | 'causationId'>, xeroContactId: string): Promise<void> {
    const kind = this.kinds.get(document.type);
    if (!kind) throw new DocumentsException(DocumentsErrorCode.TypeNotSupported, `${document.type} documents are not handled yet`);
    const body = kind.bodyFor(document.request, xeroContactId);
    await tx.query(`UPDATE ${Tables.documents} SET "xero_contact_id" = $2, "updated_at" = now() WHERE "id" = $1`, [document.id, xeroContactId]);
    await this.operations.record(tx, kind, {
      companyId: document.companyId,
      target: document.id,
      body,
      correlationId: document.correlationId,
      causationId: document.causationId,
    });
  }
}
