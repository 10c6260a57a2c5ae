import { causedBy, Failure, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { queryRows } from '@ledgerline/platform';
import { XeroClientService } from '@ledgerline/xero-client';
import { ElementAnswer, Operation, OperationKind } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { nextModifiedSince, PolledQuote, xeroTimestamp } from '../quotes/domain/quote-answers';

/** The mark the poll asks Xero from (ms since the epoch; null: every billed order). */
export interface PurchaseOrderPollBody {
  modifiedSince: number | null;
}

export interface PurchaseOrderPollResult {
  /** Each BILLED order Xero reports changed since the mark (the same shape a quote poll reads). */
  orders: PolledQuote[];
}

const PAGE_SIZE = 1000;

/**
 * Reads the company's purchase orders that became BILLED since the last poll (If-Modified-Since, status BILLED) and
 * announces purchase_order.billed once for each order Ledgerline raised. A read, so a resend is harmless.
 */
@Injectable()
export class PurchaseOrderPollKind implements OperationKind<PurchaseOrderPollBody, PurchaseOrderPollResult> {
  private readonly logger = new Logger(PurchaseOrderPollKind.name);
  readonly name = 'purchase_order.poll';
  readonly batchSize = 1;

  constructor(
    private readonly xero: XeroClientService,
    private readonly publisher: EventPublisher,
  ) {}

  async send(companyId: string, [operation]: Operation<PurchaseOrderPollBody>[]): Promise<ElementAnswer<PurchaseOrderPollResult>[]> {
    const since = operation.body.modifiedSince === null ? undefined : new Date(operation.body.modifiedSince);
    const orders: PolledQuote[] = [];
    for (let page = 1; ; page++) {
      const found = await this.xero.listPurchaseOrders(companyId, { ifModifiedSince: since, status: 'BILLED', page, pageSize: PAGE_SIZE });
      for (const order of found.items) {
        if (order.purchaseOrderID) orders.push({ xeroId: order.purchaseOrderID, status: String(order.status ?? '').toUpperCase(), updatedAt: xeroTimestamp(order.updatedDateUTC) });
      }
      if (!found.hasMore) break;
    }
    return [{ ok: true, result: { orders } }];
  }

  async lookUp(): Promise<undefined[]> {
    return [undefined];
  }

  async succeeded(tx: EntityManager, operation: Operation<PurchaseOrderPollBody>, result: PurchaseOrderPollResult): Promise<void> {
    for (const order of result.orders) {
      if (order.status !== 'BILLED') continue;
      // Only a status that differs changes, so an order seen again is not announced again.
      const changed: { request_id: string; client_id: string; xero_number: string; correlation_id: string; causation_id: string | null }[] = await queryRows(
        tx,
        `UPDATE ${Tables.documents} SET "xero_status" = 'BILLED', "updated_at" = now()
         WHERE "company_id" = $1 AND "type" = 'purchase_order' AND "xero_id" = $2 AND "status" = 'created' AND "xero_status" IS DISTINCT FROM 'BILLED'
         RETURNING "request_id", "client_id", "xero_number", "correlation_id", "causation_id"`,
        [operation.companyId, order.xeroId],
      );
      for (const document of changed) {
        const origin = document.causation_id ? causedBy({ id: document.causation_id, correlationId: document.correlation_id }) : { correlationId: document.correlation_id };
        await this.publisher.publish(
          tx,
          Topics.PurchaseOrderBilled,
          operation.companyId,
          { requestId: document.request_id, clientId: document.client_id, xeroId: order.xeroId, number: document.xero_number, status: 'BILLED' },
          origin,
        );
      }
    }
    const mark = nextModifiedSince(operation.body.modifiedSince, result.orders);
    await tx.query(
      `INSERT INTO ${Tables.purchaseOrderWatch} ("company_id", "modified_since", "polled_at") VALUES ($1, $2, now())
       ON CONFLICT ("company_id") DO UPDATE SET "modified_since" = GREATEST(${Tables.purchaseOrderWatch}."modified_since", EXCLUDED."modified_since"), "polled_at" = now()`,
      [operation.companyId, mark === null ? null : new Date(mark)],
    );
  }

  async failed(_tx: EntityManager, operation: Operation<PurchaseOrderPollBody>, failure: Failure): Promise<void> {
    // The next round polls again; nothing waits on this one.
    this.logger.warn(`polling the purchase orders of ${operation.companyId} failed (${failure.code}): ${failure.messages.join('; ')}`);
  }
}
