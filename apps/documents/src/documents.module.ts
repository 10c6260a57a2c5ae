import { AuthModule } from '@ledgerline/auth';
import { httpStatusByCode } from '@ledgerline/platform';
import { XeroClientModule } from '@ledgerline/xero-client';
import { Module } from '@nestjs/common';
import { DocumentsConfig } from './config/documents.config';
import { ContactMappingsConsumer } from './contact-mappings/contact-mappings.consumer';
import { ContactMappings } from './contact-mappings/contact-mappings.service';
import { DispatchStore } from './dispatch/dispatch.store';
import { Dispatcher } from './dispatch/dispatcher.service';
import { DOCUMENT_SENDERS, DocumentSender } from './dispatch/document-sender';
import { DocumentRecords } from './document-records/document-records.service';
import { DocumentsApi } from './documents-api/documents-api.service';
import { DOCUMENTS_HTTP_STATUS } from './documents-api/documents-http-status';
import { DocumentsController } from './documents-api/documents.controller';
import { InvoiceRequestsConsumer } from './invoices/invoice-requests.consumer';
import { InvoiceRequests } from './invoices/invoice-requests.service';
import { InvoiceSender } from './invoices/invoice-sender';

/** Invoices (quotes, purchase orders and jobs join as further senders and consumers). */
@Module({
  imports: [
    XeroClientModule.forService(DocumentsConfig),
    AuthModule.forService(DocumentsConfig),
  ],
  controllers: [InvoiceRequestsConsumer, ContactMappingsConsumer, DocumentsController],
  providers: [
    DocumentRecords,
    ContactMappings,
    InvoiceRequests,
    InvoiceSender,
    DispatchStore,
    Dispatcher,
    DocumentsApi,
    httpStatusByCode(DOCUMENTS_HTTP_STATUS),
    { provide: DOCUMENT_SENDERS, inject: [InvoiceSender], useFactory: (invoices: InvoiceSender): DocumentSender[] => [invoices] },
  ],
})
export class DocumentsModule {}
