import { causedBy, Failure, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { queryRows } from '@ledgerline/platform';
import { XeroClientService } from '@ledgerline/xero-client';
import { ElementAnswer, Operation, OperationKind } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { QuoteSyncProgress, QuoteSyncRun } from '../manual-sync/quote-sync-progress';
import { isQuoteAnswer, nextModifiedSince, PolledQuote, xeroTimestamp } from './domain/quote-answers';

/** The mark the poll asks Xero from (ms since the epoch; null: every quote). */
export interface QuotePollBody {
  modifiedSince: number | null;
  /** A manual sync (sync.requested) this poll runs for: its pages and changes are announced as sync.progress. */
  sync?: QuoteSyncRun;
}

export interface QuotePollResult {
  quotes: PolledQuote[];
  /** How many of `quotes` each page read held, in order (absent in answers stored before it was kept). */
  pages?: number[];
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
    private readonly syncProgress: QuoteSyncProgress,
  ) {}

  async send(companyId: string, [operation]: Operation<QuotePollBody>[]): Promise<ElementAnswer<QuotePollResult>[]> {
    const since = operation.body.modifiedSince === null ? undefined : new Date(operation.body.modifiedSince);
    const quotes: PolledQuote[] = [];
    const pages: number[] = [];
    for (let page = 1; ; page++) {
      const found = await this.xero.listQuotes(companyId, { ifModifiedSince: since, page });
      const before = quotes.length;
      for (const quote of found) {
        if (quote.quoteID) quotes.push({ xeroId: quote.quoteID, status: String(quote.status ?? '').toUpperCase(), updatedAt: xeroTimestamp(quote.updatedDateUTC) });
      }
      pages.push(quotes.length - before);
      if (found.length < QUOTES_PAGE) break;
    }
    return [{ ok: true, result: { quotes, pages } }];
  }

  async lookUp(): Promise<undefined[]> {
    return [undefined];
  }

  async succeeded(tx: EntityManager, operation: Operation<QuotePollBody>, result: QuotePollResult): Promise<void> {
    const { sync } = operation.body;
    const counts = { pagesRead: 0, recordsChanged: 0, errors: 0 };
    let start = 0;
    for (const size of result.pages ?? [result.quotes.length]) {
      for (const quote of result.quotes.slice(start, start + size)) counts.recordsChanged += await this.applyAnswer(tx, operation, quote);
      start += size;
      counts.pagesRead += 1;
      if (sync) await this.syncProgress.announce(tx, operation.companyId, sync, 'running', counts, operation);
    }
    const mark = nextModifiedSince(operation.body.modifiedSince, result.quotes);
    await tx.query(
      `INSERT INTO ${Tables.quoteWatch} ("company_id", "modified_since", "polled_at") VALUES ($1, $2, now())
       ON CONFLICT ("company_id") DO UPDATE SET "modified_since" = GREATEST(${Tables.quoteWatch}."modified_since", EXCLUDED."modified_since"), "polled_at" = now()`,
      [operation.companyId, mark === null ? null : new Date(mark)],
    );
    if (sync) await this.syncProgress.announce(tx, operation.companyId, sync, 'done', counts, operation);
  }

  /** Records and announces a customer's answer to a quote Ledgerline raised; returns how many records it changed. */
  private async applyAnswer(tx: EntityManager, operation: Operation<QuotePollBody>, quote: PolledQuote): Promise<number> {
    if (!isQuoteAnswer(quote.status)) return 0;
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
    return changed.length;
  }

  async failed(tx: EntityManager, operation: Operation<QuotePollBody>, failure: Failure): Promise<void> {
    // The next round polls again; nothing waits on this one.
    this.logger.warn(`polling the quotes of ${operation.companyId} failed (${failure.code}): ${failure.messages.join('; ')}`);
    if (operation.body.sync) await this.syncProgress.announce(tx, operation.companyId, operation.body.sync, 'failed', { pagesRead: 0, recordsChanged: 0, errors: 0 }, operation, failure);
  }

  /** The watcher's poll waits for the company to connect again; a manual sync fails now instead. */
  async waiting(tx: EntityManager, operation: Operation<QuotePollBody>, failure: Failure): Promise<void> {
    await this.syncProgress.notConnected(tx, operation, failure);
  }
}
