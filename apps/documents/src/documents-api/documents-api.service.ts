import { LineItem } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OperationStore, OperationWorker } from '@ledgerline/xero-operations';
import { DocumentRecords } from '../document-records/document-records.service';
import { DocumentsException } from '../document-records/documents.exception';
import { DocumentEntity } from '../document-records/entities/document.entity';
import { DocumentRequests } from '../document-records/document-requests.service';
import { DocumentDetailView, documentDetailView, DocumentView, documentView } from './document-view';
import { ListDocumentsQuery } from './documents-api.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DocumentPage {
  items: DocumentView[];
  page: number;
  pageSize: number;
  total: number;
}

/** What the REST API does; every call is scoped to one company, and another company's document does not exist. */
@Injectable()
export class DocumentsApi {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: DocumentRecords,
    private readonly requests: DocumentRequests,
    private readonly publisher: EventPublisher,
    private readonly worker: OperationWorker,
    private readonly operations: OperationStore,
  ) {}

  async list(companyId: string, query: ListDocumentsQuery): Promise<DocumentPage> {
    const [documents, total] = await this.dataSource.getRepository(DocumentEntity).findAndCount({
      where: { companyId, ...(query.type ? { type: query.type } : {}), ...(query.status ? { status: query.status } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    const sends = await this.operations.sendCounts(companyId, documents.map((d) => d.id));
    return { items: documents.map((d) => documentView(d, sends.get(d.id) ?? 0)), page: query.page, pageSize: query.pageSize, total };
  }

  async get(companyId: string, id: string): Promise<DocumentDetailView> {
    if (!UUID.test(id)) throw DocumentsException.notFound();
    const document = await this.dataSource.getRepository(DocumentEntity).findOne({ where: { id, companyId } });
    if (!document) throw DocumentsException.notFound();
    const sends = await this.operations.sendCounts(companyId, [document.id]);
    return documentDetailView(document, sends.get(document.id) ?? 0);
  }

  /** A failed document of any type goes round again as its next attempt, with corrected line items when given. */
  async retry(companyId: string, id: string, lineItems?: LineItem[]): Promise<DocumentDetailView> {
    if (!UUID.test(id)) throw DocumentsException.notFound();
    await this.dataSource.transaction(async (tx) => {
      const document = await this.records.lockOwn(tx, companyId, id);
      await this.requests.retry(tx, document, lineItems);
    });
    this.publisher.flush();
    this.worker.nudge();
    return this.get(companyId, id);
  }
}
