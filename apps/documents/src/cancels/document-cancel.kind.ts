import { DocumentType, Failure } from '@ledgerline/contracts';
import { XeroClientService } from '@ledgerline/xero-client';
import { ElementAnswer, Operation, OperationKind } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DocumentRecords } from '../document-records/document-records.service';
import { CancelledStatus, cancelDecision, XeroDocumentState } from './domain/cancel-decision';

/** A document to withdraw in Xero: its type and Xero id, and the reason the request gave. */
export interface CancelBody {
  documentType: DocumentType;
  xeroId: string;
  reason?: string;
}

export interface CancelResult {
  xeroId: string;
  status: CancelledStatus;
}

const GONE = new Set(['DELETED', 'VOIDED']);

/**
 * Deletes or voids one document in Xero (Xero changes a document's status one call at a time). It reads the
 * document first, so the rule decides on what Xero has now (a payment may have arrived since it was created),
 * then sets the status the rule gives; a refusal is the rule's, with its reason.
 */
@Injectable()
export class DocumentCancelKind implements OperationKind<CancelBody, CancelResult> {
  private readonly logger = new Logger(DocumentCancelKind.name);
  readonly name = 'document.cancel';
  readonly batchSize = 1;

  constructor(
    private readonly xero: XeroClientService,
    private readonly records: DocumentRecords,
  ) {}

  async send(companyId: string, [operation]: Operation<CancelBody>[], idempotencyKey: string): Promise<ElementAnswer<CancelResult>[]> {
    const { documentType, xeroId } = operation.body;
    const decision = cancelDecision(documentType, await this.state(companyId, documentType, xeroId));
    if (decision.action === 'refuse') return [{ ok: false, failure: { code: 'CANCEL_REFUSED', messages: decision.messages } }];
    if (decision.action === 'already') return [{ ok: true, result: { xeroId, status: decision.status } }];
    const options = { idempotencyKey };
    const updated =
      documentType === 'invoice'
        ? await this.xero.updateInvoiceStatus(companyId, xeroId, decision.status, options)
        : documentType === 'quote'
          ? await this.xero.updateQuoteStatus(companyId, xeroId, 'DELETED', options)
          : await this.xero.updatePurchaseOrderStatus(companyId, xeroId, 'DELETED', options);
    const status = String(updated.status ?? decision.status).toUpperCase();
    return [{ ok: true, result: { xeroId, status: GONE.has(status) ? (status as CancelledStatus) : decision.status } }];
  }

  /** A resend after Xero forgot the key: the document is already gone when an earlier send got through. */
  async lookUp(companyId: string, operations: Operation<CancelBody>[]): Promise<(CancelResult | undefined)[]> {
    const found: (CancelResult | undefined)[] = [];
    for (const { body } of operations) {
      const { status } = await this.state(companyId, body.documentType, body.xeroId);
      found.push(GONE.has(status) ? { xeroId: body.xeroId, status: status as CancelledStatus } : undefined);
    }
    return found;
  }

  async succeeded(tx: EntityManager, operation: Operation<CancelBody>, result: CancelResult): Promise<void> {
    const document = await this.records.lock(tx, operation.companyId, operation.target);
    if (!document || !(await this.records.markCancelled(tx, document, result.status))) this.skipped(operation);
  }

  async failed(tx: EntityManager, operation: Operation<CancelBody>, failure: Failure): Promise<void> {
    const document = await this.records.lock(tx, operation.companyId, operation.target);
    if (document) await this.records.markCancelFailed(tx, document, failure);
    else this.skipped(operation);
  }

  xeroIdOf(result: CancelResult): string {
    return result.xeroId;
  }

  private async state(companyId: string, type: DocumentType, xeroId: string): Promise<XeroDocumentState & { status: string }> {
    if (type === 'invoice') {
      const invoice = await this.xero.getInvoice(companyId, xeroId);
      return { status: String(invoice.status ?? ''), amountPaid: invoice.amountPaid, amountCredited: invoice.amountCredited };
    }
    const record = type === 'quote' ? await this.xero.getQuote(companyId, xeroId) : await this.xero.getPurchaseOrder(companyId, xeroId);
    return { status: String(record.status ?? '') };
  }

  private skipped(operation: Operation<CancelBody>): void {
    this.logger.warn(`document ${operation.target} of ${operation.companyId} is no longer there to cancel; the answer is not applied`);
  }
}
