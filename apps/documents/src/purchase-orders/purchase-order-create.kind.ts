import { PurchaseOrderRequestedPayload } from '@ledgerline/contracts';
import { XeroClientService } from '@ledgerline/xero-client';
import { ElementAnswer, Operation } from '@ledgerline/xero-operations';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CurrencyCode, LineAmountTypes, PurchaseOrder } from 'xero-node';
import { DocumentCancels } from '../cancels/document-cancels.service';
import { DocumentsConfig } from '../config/documents.config';
import { DocumentCreateKind } from '../document-records/document-create.kind';
import { DocumentRecords } from '../document-records/document-records.service';
import { CreatedDocument, documentMatchesDraft } from '../document-records/domain/document-outcome';
import { createdPurchaseOrder, purchaseOrderAnswer, toXeroPurchaseOrder, XeroPurchaseOrderDraft, XeroPurchaseOrderRecord } from './domain/purchase-order-mapping';

export function toXeroNodePurchaseOrder(draft: XeroPurchaseOrderDraft): PurchaseOrder {
  return {
    ...draft,
    status: draft.status as unknown as PurchaseOrder.StatusEnum,
    currencyCode: draft.currencyCode as unknown as CurrencyCode,
    lineAmountTypes: draft.lineAmountTypes === undefined ? undefined : LineAmountTypes[draft.lineAmountTypes],
  };
}

const PAGE_SIZE = 100;

/** Purchase orders to suppliers, created in batches through the operations engine. */
@Injectable()
export class PurchaseOrderCreateKind extends DocumentCreateKind<XeroPurchaseOrderDraft> {
  readonly name = 'purchase_order.create';
  readonly documentType = 'purchase_order' as const;
  readonly batchSize: number;

  constructor(
    private readonly xero: XeroClientService,
    records: DocumentRecords,
    dataSource: DataSource,
    cancels: DocumentCancels,
    @Inject(DocumentsConfig) config: DocumentsConfig,
  ) {
    super(records, dataSource, cancels);
    this.batchSize = config.PURCHASE_ORDER_BATCH_SIZE;
  }

  bodyFor(request: Record<string, unknown>, xeroContactId: string): XeroPurchaseOrderDraft {
    return toXeroPurchaseOrder(request as unknown as PurchaseOrderRequestedPayload, xeroContactId);
  }

  async send(companyId: string, operations: Operation<XeroPurchaseOrderDraft>[], idempotencyKey: string): Promise<ElementAnswer<CreatedDocument>[]> {
    const results = await this.xero.createPurchaseOrders(companyId, operations.map((o) => toXeroNodePurchaseOrder(o.body)), { idempotencyKey });
    return results.map((result, index) => purchaseOrderAnswer(result as never, operations[index].body.currencyCode));
  }

  /** Xero's purchase order list filters by date only; the contact, reference and lines are compared here. */
  async lookUp(companyId: string, operations: Operation<XeroPurchaseOrderDraft>[]): Promise<(CreatedDocument | undefined)[]> {
    return this.claimFound(
      companyId,
      operations,
      async (draft) => {
        const candidates: XeroPurchaseOrderRecord[] = [];
        for (let page = 1; ; page++) {
          const { items } = await this.xero.listPurchaseOrders(companyId, { dateFrom: draft.date, dateTo: draft.date, page, pageSize: PAGE_SIZE });
          candidates.push(...(items as XeroPurchaseOrderRecord[]).filter((o) => o.purchaseOrderID && String(o.status) !== 'DELETED' && documentMatchesDraft(o, draft)));
          if (items.length < PAGE_SIZE) break;
        }
        return candidates.map((record) => ({ xeroId: record.purchaseOrderID as string, record }));
      },
      (record, draft) => createdPurchaseOrder(record, draft.currencyCode),
    );
  }
}
