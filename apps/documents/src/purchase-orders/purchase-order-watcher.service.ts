import { OperationStore, OperationWorker } from '@ledgerline/xero-operations';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DocumentsConfig } from '../config/documents.config';
import { Tables } from '../database/tables';
import { DocumentStatusWatcher } from '../document-records/document-status-watcher';
import { PurchaseOrderPollKind } from './purchase-order-poll.kind';

/** A bill raised from a purchase order in Xero: polled for every company with an order not yet billed. */
@Injectable()
export class PurchaseOrderWatcher extends DocumentStatusWatcher {
  constructor(
    dataSource: DataSource,
    operations: OperationStore,
    worker: OperationWorker,
    pollKind: PurchaseOrderPollKind,
    @Inject(DocumentsConfig) config: DocumentsConfig,
  ) {
    super(dataSource, operations, worker, pollKind, {
      name: 'purchase_order_watch',
      type: 'purchase_order',
      xeroStatuses: ['DRAFT', 'SUBMITTED', 'AUTHORISED'],
      markTable: Tables.purchaseOrderWatch,
      intervalMs: config.PURCHASE_ORDERS_POLL_INTERVAL_MS,
    });
  }
}
