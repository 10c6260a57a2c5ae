import { Topics } from '@ledgerline/contracts';
import { ServiceDefinition } from '@ledgerline/platform';
import { DocumentsConfig } from './config/documents.config';
import { ContactMappingEntity } from './contact-mappings/entities/contact-mapping.entity';
import { migrations } from './database/migrations';
import { DocumentEntity } from './document-records/entities/document.entity';
import { DocumentsModule } from './documents.module';

/** Invoices, quotes and purchase orders, and their cancels; jobs as Xero projects. */
export const documentsService: ServiceDefinition<DocumentsConfig> = {
  name: 'documents',
  config: DocumentsConfig,
  database: { schema: 'documents', entities: [DocumentEntity, ContactMappingEntity], migrations },
  consumes: [
    Topics.InvoiceRequested,
    Topics.QuoteRequested,
    Topics.PurchaseOrderRequested,
    Topics.DocumentCancelRequested,
    Topics.JobAssigned,
    Topics.JobStatusChanged,
    Topics.ContactSynced,
    Topics.ContactSyncFailed,
    Topics.XeroConnectionConnected,
    Topics.SyncRequested,
  ],
  produces: [
    Topics.InvoiceCreated,
    Topics.InvoiceFailed,
    Topics.QuoteCreated,
    Topics.QuoteFailed,
    Topics.QuoteAccepted,
    Topics.QuoteDeclined,
    Topics.PurchaseOrderCreated,
    Topics.PurchaseOrderFailed,
    Topics.PurchaseOrderBilled,
    Topics.DocumentCancelled,
    Topics.DocumentCancelFailed,
    Topics.JobSynced,
    Topics.JobSyncFailed,
    Topics.ContactSyncRequested,
    Topics.SyncActivity,
    Topics.SyncProgress,
  ],
  modules: [DocumentsModule],
};
