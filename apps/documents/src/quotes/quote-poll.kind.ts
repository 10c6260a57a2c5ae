import { causedBy, Failure, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { queryRows } from '@ledgerline/platform';
import { XeroClientService } from '@ledgerline/xero-client';
import { ElementAnswer, Operation, OperationKind } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { isQuoteAnswer, nextModifiedSince, PolledQuote, xeroTimestamp } from './domain/quote-answers';

/** The mark the poll asks Xero from (ms since the epoch; null: every quote). */
export interface QuotePollBody {
  modifiedSince: number | null;
}

export interface QuotePollResult {
  quotes: PolledQuote[];
}

/** Xero pages quotes by 100. */
const QUOTES_PAGE = 100;

/**
 * Reads what changed in a company's quotes since the last poll (If-Modified-Since) and announces a customer's
 * answer once: quote.accepted or quote.declined for a quote Ledgerline raised. A read, so a resend is harmless.
 */
@Injectable()
export class QuotePollKind implements OperationKind<QuotePollBody, QuotePollResult> {
  private readonly logger = new Logger(QuotePollKind.name);
  readonly name = 'quote.poll';
  readonly batchSize = 1;

  constructor(
    private readonly xero: XeroClientService,
    private readonly publisher: EventPublisher,
  ) {}

  async send(companyId: string, [operation]: Operation<QuotePollBody>[]): Promise<ElementAnswer<QuotePollResult>[]> {
    const since = operation.body.modifiedSince === null ? undefined : new Date(operation.body.modifiedSince);
    const quotes: PolledQuote[] = [];
    for (let page = 1; ; page++) {
      const found = await this.xero.listQuotes(companyId, { ifModifiedSince: since, page });
      for (const quote of found) {
        if (quote.quoteID) quotes.push({ xeroId: quote.quoteID, status: String(quote.status ?? '').toUpperCase(), updatedAt: xeroTimestamp(quote.updatedDateUTC) });
      }
      if (found.length < QUOTES_PAGE) break;
    }
    return [{ ok: true, result: { quotes } }];
  }

  async lookUp(): Promise<undefined[]> {
    return [undefined];
  }

  async succeeded(tx: EntityManager, operation: Operation<QuotePollBody>, result: QuotePollResult): Promise<void> {
    for (const quote of result.quotes) {
      if (!isQuoteAnswer(quote.status)) continue;
      const changed: { request_id: string; client_id: string; xero_number: string; correlation_id: string; causation_id: string | null }[] = await queryRows(
        tx,
        `UPDATE ${Tables.documents} SET "xero_status" = $3, "updated_at" = now()
         WHERE "company_id" = $1 AND "type" = 'quote' AND "xero_id" = $2 AND "status" = 'created' AND "xero_status" IS DISTINCT FROM $3
         RETURNING "request_id", "client_id", "xero_number", "correlation_id", "causation_id"`,
        [operation.companyId, quote.xeroId, quote.status],
      );
      for (const document of changed) {
        const topic = quote.status === 'ACCEPTED' ? Topics.QuoteAccepted : Topics.QuoteDeclined;
        const origin = document.causation_id ? causedBy({ id: document.causation_id, correlationId: document.correlation_id }) : { correlationId: document.correlation_id };
        await this.publisher.publish(
          tx,
          topic,
          operation.companyId,
          { requestId: document.request_id, clientId: document.client_id, xeroId: quote.xeroId, number: document.xero_number, status: quote.status },
          origin,
        );
      }
    }
    const mark = nextModifiedSince(operation.body.modifiedSince, result.quotes);
    await tx.query(
      `INSERT INTO ${Tables.quoteWatch} ("company_id", "modified_since", "polled_at") VALUES ($1, $2, now())
       ON CONFLICT ("company_id") DO UPDATE SET "modified_since" = GREATEST(${Tables.quoteWatch}."modified_since", EXCLUDED."modified_since"), "polled_at" = now()`,
      [operation.companyId, mark === null ? null : new Date(mark)],
    );
  }

  async failed(_tx: EntityManager, operation: Operation<QuotePollBody>, failure: Failure): Promise<void> {
    // The next round polls again; nothing waits on this one.
    this.logger.warn(`polling the quotes of ${operation.companyId} failed (${failure.code}): ${failure.messages.join('; ')}`);
  }
}
