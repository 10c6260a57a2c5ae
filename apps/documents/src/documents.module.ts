import { AuthModule } from '@ledgerline/auth';
import { httpStatusByCode } from '@ledgerline/platform';
import { XeroClientModule } from '@ledgerline/xero-client';
import { operationsEngineProviders } from '@ledgerline/xero-operations';
import { Module } from '@nestjs/common';
import { DocumentsConfig } from './config/documents.config';
import { ContactMappingsConsumer } from './contact-mappings/contact-mappings.consumer';
import { ContactMappings } from './contact-mappings/contact-mappings.service';
import { DOCUMENT_KINDS, DocumentKind } from './document-records/document-kind';
import { DocumentQueue } from './document-records/document-queue.service';
import { DocumentRecords } from './document-records/document-records.service';
import { DocumentsApi } from './documents-api/documents-api.service';
import { DOCUMENTS_HTTP_STATUS } from './documents-api/documents-http-status';
import { DocumentsController } from './documents-api/documents.controller';
import { InvoiceCreateKind } from './invoices/invoice-create.kind';
import { InvoiceRequestsConsumer } from './invoices/invoice-requests.consumer';
import { InvoiceRequests } from './invoices/invoice-requests.service';

/** Invoices (quotes, purchase orders and jobs join as further kinds and consumers). */
@Module({
  imports: [
    XeroClientModule.forService(DocumentsConfig),
    AuthModule.forService(DocumentsConfig),
  ],
  controllers: [InvoiceRequestsConsumer, ContactMappingsConsumer, DocumentsController],
  providers: [
    DocumentRecords,
    DocumentQueue,
    ContactMappings,
    InvoiceRequests,
    DocumentsApi,
    httpStatusByCode(DOCUMENTS_HTTP_STATUS),
    ...operationsEngineProviders(DocumentsConfig, [InvoiceCreateKind]),
    { provide: DOCUMENT_KINDS, inject: [InvoiceCreateKind], useFactory: (invoices: InvoiceCreateKind): DocumentKind[] => [invoices] },
  ],
})
export class DocumentsModule {}
