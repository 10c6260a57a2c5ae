import { OperationStore, OperationWorker } from '@ledgerline/xero-operations';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DocumentsConfig } from '../config/documents.config';
import { Tables } from '../database/tables';
import { DocumentStatusWatcher } from '../document-records/document-status-watcher';
import { QuotePollKind } from './quote-poll.kind';

/** A customer's answer to a quote (ACCEPTED, DECLINED): polled for every company with a quote SENT in Xero. */
@Injectable()
export class QuoteWatcher extends DocumentStatusWatcher {
  constructor(dataSource: DataSource, operations: OperationStore, worker: OperationWorker, pollKind: QuotePollKind, @Inject(DocumentsConfig) config: DocumentsConfig) {
    super(dataSource, operations, worker, pollKind, {
      name: 'quote_watch',
      type: 'quote',
      xeroStatuses: ['SENT'],
      markTable: Tables.quoteWatch,
      intervalMs: config.QUOTES_POLL_INTERVAL_MS,
    });
  }
}
