import { InvoiceRequestedPayload } from '@ledgerline/contracts';
import { XeroClientService } from '@ledgerline/xero-client';
import { Operation, OperationStore } from '@ledgerline/xero-operations';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CurrencyCode, Invoice, LineAmountTypes } from 'xero-node';
import { DocumentCancels } from '../cancels/document-cancels.service';
import { DocumentsConfig } from '../config/documents.config';
import { DocumentCreateKind } from '../document-records/document-create.kind';
import { DocumentRecords } from '../document-records/document-records.service';
import { DocumentEntity } from '../document-records/entities/document.entity';
import { QuoteMarkInvoicedKind } from '../quotes/quote-mark-invoiced.kind';
import { CreatedInvoice, createdInvoice, invoiceAnswer, InvoiceAnswer, invoiceMatchesDraft, XeroInvoiceRecord } from './domain/invoice-outcome';
import { toXeroInvoice, XeroInvoiceDraft } from './domain/invoice-mapping';

/** xero-node's enums are its own types; their values are Xero's strings, which the draft already holds. */
export function toXeroNodeInvoice(draft: XeroInvoiceDraft): Invoice {
  return {
    ...draft,
    type: Invoice.TypeEnum.ACCREC,
    status: draft.status === 'AUTHORISED' ? Invoice.StatusEnum.AUTHORISED : Invoice.StatusEnum.DRAFT,
    currencyCode: draft.currencyCode as unknown as CurrencyCode,
    lineAmountTypes: draft.lineAmountTypes === undefined ? undefined : LineAmountTypes[draft.lineAmountTypes],
  };
}

/** `DateTime(y,m,d)` for Xero's where filter. */
const whereDate = (date: string) => `DateTime(${date.split('-').map(Number).join(',')})`;

const GONE = new Set(['DELETED', 'VOIDED']);

/** Sales invoices (ACCREC), created in batches through the operations engine. */
@Injectable()
export class InvoiceCreateKind extends DocumentCreateKind<XeroInvoiceDraft> {
  readonly name = 'invoice.create';
  readonly documentType = 'invoice' as const;
  readonly batchSize: number;

  constructor(
    private readonly xero: XeroClientService,
    private readonly markInvoiced: QuoteMarkInvoicedKind,
    private readonly operations: OperationStore,
    records: DocumentRecords,
    dataSource: DataSource,
    cancels: DocumentCancels,
    @Inject(DocumentsConfig) config: DocumentsConfig,
  ) {
    super(records, dataSource, cancels);
    this.batchSize = config.INVOICE_BATCH_SIZE;
  }

  bodyFor(request: Record<string, unknown>, xeroContactId: string): XeroInvoiceDraft {
    return toXeroInvoice(request as unknown as InvoiceRequestedPayload, xeroContactId);
  }

  async send(companyId: string, operations: Operation<XeroInvoiceDraft>[], idempotencyKey: string): Promise<InvoiceAnswer[]> {
    const results = await this.xero.createInvoices(companyId, operations.map((o) => toXeroNodeInvoice(o.body)), { idempotencyKey });
    return results.map((result, index) => invoiceAnswer(result as never, operations[index].body.currencyCode));
  }

  /**
   * Finds the invoice each draft would have made (same contact, date, reference and lines), among those Xero has
   * and no other request of the company has claimed. One read per operation: look-ups are rare (a send whose
   * answer was lost, resent after Xero's key window).
   */
  async lookUp(companyId: string, operations: Operation<XeroInvoiceDraft>[]): Promise<(CreatedInvoice | undefined)[]> {
    return this.claimFound(
      companyId,
      operations,
      async (draft) => {
        const where = `Contact.ContactID==guid("${draft.contact.contactID}") AND Date==${whereDate(draft.date)}`;
        const page = await this.xero.listInvoices(companyId, { where, pageSize: 100 });
        return (page.items as XeroInvoiceRecord[])
          .filter((i) => i.invoiceID && !GONE.has(String(i.status)) && invoiceMatchesDraft(i, draft))
          .map((record) => ({ xeroId: record.invoiceID as string, record }));
      },
      (record, draft) => createdInvoice(record, draft.currencyCode),
    );
  }

  /** An invoice made from a quote: the quote is marked INVOICED in Xero (quote → job → invoice). */
  protected override async afterCreated(tx: EntityManager, document: DocumentEntity): Promise<void> {
    const quoteRequestId = document.request['quoteRequestId'];
    if (typeof quoteRequestId !== 'string') return;
    const quote = await this.records.lockByRequest(tx, document.companyId, 'quote', quoteRequestId);
    if (!quote?.xeroId) return;
    await this.operations.record(tx, this.markInvoiced, {
      companyId: document.companyId,
      target: quote.id,
      body: { quoteXeroId: quote.xeroId, invoiceRequestId: document.requestId },
      correlationId: document.correlationId,
      causationId: document.causationId ?? undefined,
    });
  }
}
