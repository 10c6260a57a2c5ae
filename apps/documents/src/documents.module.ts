import { AuthModule } from '@ledgerline/auth';
import { httpStatusByCode } from '@ledgerline/platform';
import { XeroClientModule } from '@ledgerline/xero-client';
import { operationsEngineProviders } from '@ledgerline/xero-operations';
import { Module } from '@nestjs/common';
import { DocumentCancelKind } from './cancels/document-cancel.kind';
import { DocumentCancelsConsumer } from './cancels/document-cancels.consumer';
import { DocumentCancels } from './cancels/document-cancels.service';
import { DocumentsConfig } from './config/documents.config';
import { ContactMappingsConsumer } from './contact-mappings/contact-mappings.consumer';
import { ContactMappings } from './contact-mappings/contact-mappings.service';
import { DOCUMENT_KINDS, DocumentKind } from './document-records/document-kind';
import { DocumentQueue } from './document-records/document-queue.service';
import { DocumentRecords } from './document-records/document-records.service';
import { DocumentRequestsConsumer } from './document-records/document-requests.consumer';
import { DocumentRequests } from './document-records/document-requests.service';
import { DocumentsApi } from './documents-api/documents-api.service';
import { DOCUMENTS_HTTP_STATUS } from './documents-api/documents-http-status';
import { DocumentsController } from './documents-api/documents.controller';
import { ManualSyncConsumer } from './manual-sync/manual-sync.consumer';
import { QuoteSyncProgress } from './manual-sync/quote-sync-progress';
import { QuoteSyncs } from './manual-sync/quote-syncs.service';
import { InvoiceCreateKind } from './invoices/invoice-create.kind';
import { JobMappingsController } from './jobs/job-mappings.controller';
import { JobMappings } from './jobs/job-mappings.service';
import { JobQueue } from './jobs/job-queue.service';
import { JobRecords } from './jobs/job-records.service';
import { JobSyncs } from './jobs/job-syncs.service';
import { JobsApi } from './jobs/jobs-api.service';
import { JobsConsumer } from './jobs/jobs.consumer';
import { JobsController } from './jobs/jobs.controller';
import { JOBS_HTTP_STATUS } from './jobs/jobs.exception';
import { ProjectSyncKind } from './jobs/project-sync.kind';
import { PurchaseOrderCreateKind } from './purchase-orders/purchase-order-create.kind';
import { PurchaseOrderPollKind } from './purchase-orders/purchase-order-poll.kind';
import { PurchaseOrderWatcher } from './purchase-orders/purchase-order-watcher.service';
import { QuoteCreateKind } from './quotes/quote-create.kind';
import { QuoteMarkInvoicedKind } from './quotes/quote-mark-invoiced.kind';
import { QuotePollKind } from './quotes/quote-poll.kind';
import { QuoteWatcher } from './quotes/quote-watcher.service';
import { DocumentsMetrics } from './document-records/documents-metrics';

/** The kinds that create a document in Xero, one per document type (its other differences are in document-types.ts). */
const DOCUMENT_CREATE_KINDS = [InvoiceCreateKind, QuoteCreateKind, PurchaseOrderCreateKind];

/**
 * Invoices, quotes and purchase orders: requested over Kafka, raised (and cancelled) in Xero through the operations engine;
 * and jobs, kept in step with Xero projects the same way.
 */
@Module({
  imports: [
    XeroClientModule.forService(DocumentsConfig),
    AuthModule.forService(DocumentsConfig),
  ],
  controllers: [DocumentRequestsConsumer, DocumentCancelsConsumer, ContactMappingsConsumer, JobsConsumer, ManualSyncConsumer, DocumentsController, JobsController, JobMappingsController],
  providers: [
    DocumentsMetrics,
    DocumentRecords,
    DocumentQueue,
    ContactMappings,
    DocumentRequests,
    DocumentCancels,
    QuoteWatcher,
    QuoteSyncs,
    QuoteSyncProgress,
    PurchaseOrderWatcher,
    DocumentsApi,
    JobRecords,
    JobMappings,
    JobQueue,
    JobSyncs,
    JobsApi,
    httpStatusByCode({ ...DOCUMENTS_HTTP_STATUS, ...JOBS_HTTP_STATUS }),
    ...operationsEngineProviders(DocumentsConfig, [...DOCUMENT_CREATE_KINDS, DocumentCancelKind, QuotePollKind, QuoteMarkInvoicedKind, PurchaseOrderPollKind, ProjectSyncKind]),
    { provide: DOCUMENT_KINDS, inject: DOCUMENT_CREATE_KINDS, useFactory: (...kinds: DocumentKind[]): DocumentKind[] => kinds },
  ],
})
export class DocumentsModule {}
