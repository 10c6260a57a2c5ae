import { QuoteRequestedPayload } from '@ledgerline/contracts';
import { XeroClientService } from '@ledgerline/xero-client';
import { ElementAnswer, Operation } from '@ledgerline/xero-operations';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CurrencyCode, Quote, QuoteLineAmountTypes, QuoteStatusCodes } from 'xero-node';
import { DocumentCancels } from '../cancels/document-cancels.service';
import { DocumentsConfig } from '../config/documents.config';
import { DocumentCreateKind } from '../document-records/document-create.kind';
import { DocumentRecords } from '../document-records/document-records.service';
import { CreatedDocument, documentMatchesDraft } from '../document-records/domain/document-outcome';
import { createdQuote, quoteAnswer, toXeroQuote, XeroQuoteDraft, XeroQuoteRecord } from './domain/quote-mapping';

/** xero-node's enums are its own types; their values are Xero's strings, which the draft already holds. */
export function toXeroNodeQuote(draft: XeroQuoteDraft): Quote {
  return {
    ...draft,
    status: draft.status as unknown as QuoteStatusCodes,
    currencyCode: draft.currencyCode as unknown as CurrencyCode,
    lineAmountTypes: draft.lineAmountTypes as unknown as QuoteLineAmountTypes | undefined,
  };
}

const GONE = new Set(['DELETED']);

/** Quotes, created in batches through the operations engine. */
@Injectable()
export class QuoteCreateKind extends DocumentCreateKind<XeroQuoteDraft> {
  readonly name = 'quote.create';
  readonly documentType = 'quote' as const;
  readonly batchSize: number;

  constructor(
    private readonly xero: XeroClientService,
    records: DocumentRecords,
    dataSource: DataSource,
    cancels: DocumentCancels,
    @Inject(DocumentsConfig) config: DocumentsConfig,
  ) {
    super(records, dataSource, cancels);
    this.batchSize = config.QUOTE_BATCH_SIZE;
  }

  bodyFor(request: Record<string, unknown>, xeroContactId: string): XeroQuoteDraft {
    return toXeroQuote(request as unknown as QuoteRequestedPayload, xeroContactId);
  }

  async send(companyId: string, operations: Operation<XeroQuoteDraft>[], idempotencyKey: string): Promise<ElementAnswer<CreatedDocument>[]> {
    const results = await this.xero.createQuotes(companyId, operations.map((o) => toXeroNodeQuote(o.body)), { idempotencyKey });
    return results.map((result, index) => quoteAnswer(result as never, operations[index].body.currencyCode));
  }

  /**
   * The quote each draft would have made (same contact, date, reference and lines) among those Xero has and no
   * other request of the company holds: Xero's quotes list filters by contact and date, 100 to a page.
   */
  async lookUp(companyId: string, operations: Operation<XeroQuoteDraft>[]): Promise<(CreatedDocument | undefined)[]> {
    return this.claimFound(
      companyId,
      operations,
      async (draft) => {
        const candidates: XeroQuoteRecord[] = [];
        for (let page = 1; ; page++) {
          const quotes = (await this.xero.listQuotes(companyId, { contactId: draft.contact.contactID, dateFrom: draft.date, dateTo: draft.date, page })) as XeroQuoteRecord[];
          candidates.push(...quotes.filter((q) => q.quoteID && !GONE.has(String(q.status)) && documentMatchesDraft(q, draft)));
          if (quotes.length < 100) break;
        }
        return candidates.map((record) => ({ xeroId: record.quoteID as string, record }));
      },
      (record, draft) => createdQuote(record, draft.currencyCode),
    );
  }
}
