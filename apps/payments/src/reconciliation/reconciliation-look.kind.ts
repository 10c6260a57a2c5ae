import { Failure } from '@ledgerline/contracts';
import { ElementAnswer, Operation, OperationKind } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { XeroInvoiceView, XeroPaymentView } from './domain/reconcile-invoice';
import { ReconciliationRecords } from './reconciliation.repository';
import { Reconciliation } from './reconciliation.service';
import { XeroReconciliationGateway } from './xero-reconciliation.gateway';

/** Look at one invoice a webhook named, or at the invoice of a payment a webhook named. */
export type LookBody = { invoiceId: string } | { paymentId: string };

export interface LookResult {
  invoices: XeroInvoiceView[];
  payments: XeroPaymentView[];
}

export const LOOK_KIND = 'reconciliation.look';

/**
 * What a webhook named, read from Xero: the invoices themselves (Invoices by IDs: one call for the whole batch) and,
 * for a payment, the payment first (it names its invoice and says whether it was deleted). Only invoices
 * Ledgerline raised are read.
 */
@Injectable()
export class ReconciliationLookKind implements OperationKind<LookBody, LookResult> {
  readonly name = LOOK_KIND;
  readonly batchSize = 50;
  readonly lingerMs = 200;
  private readonly logger = new Logger(ReconciliationLookKind.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly records: ReconciliationRecords,
    private readonly gateway: XeroReconciliationGateway,
    private readonly reconciliation: Reconciliation,
  ) {}

  async send(companyId: string, operations: Operation<LookBody>[]): Promise<ElementAnswer<LookResult>[]> {
    const payments = new Map<string, XeroPaymentView | undefined>();
    for (const { body } of operations) if ('paymentId' in body) payments.set(body.paymentId, await this.gateway.payment(companyId, body.paymentId));
    const named = operations.map(({ body }) => ('invoiceId' in body ? body.invoiceId.toLowerCase() : payments.get(body.paymentId)?.invoiceId)).filter((id): id is string => id !== undefined);
    const ours = await this.records.known(this.dataSource.manager, companyId, named);
    const invoices = new Map((await this.gateway.invoices(companyId, [...ours])).map((i) => [i.invoiceId, i]));
    return operations.map(({ body }) => {
      const payment = 'paymentId' in body ? payments.get(body.paymentId) : undefined;
      const invoiceId = 'invoiceId' in body ? body.invoiceId.toLowerCase() : payment?.invoiceId;
      const invoice = invoiceId ? invoices.get(invoiceId) : undefined;
      return { ok: true, result: { invoices: invoice ? [invoice] : [], payments: payment && invoiceId && ours.has(invoiceId) ? [payment] : [] } };
    });
  }

  async lookUp(_companyId: string, operations: Operation<LookBody>[]): Promise<(LookResult | undefined)[]> {
    return operations.map(() => undefined);
  }

  async succeeded(tx: EntityManager, operation: Operation<LookBody>, result: LookResult): Promise<void> {
    const [invoice] = result.invoices;
    const invoiceId = invoice?.invoiceId ?? result.payments[0]?.invoiceId;
    if (!invoiceId) return;
    await this.reconciliation.apply(tx, operation.companyId, [{ xeroInvoiceId: invoiceId, observation: { ...(invoice ? { invoice } : {}), ...(result.payments.length ? { payments: result.payments } : {}) } }], {
      source: 'webhook',
      operationId: operation.id,
      causationId: operation.causationId,
    });
  }

  async failed(_tx: EntityManager, operation: Operation<LookBody>, failure: Failure): Promise<void> {
    // The poll reads the same change later: a lost look costs minutes, not money.
    this.logger.warn(`company ${operation.companyId}: a look at ${operation.target} failed: ${failure.code} ${failure.messages.join('; ')}`);
  }
}
