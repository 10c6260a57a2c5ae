import { Failure } from '@ledgerline/contracts';
import { XeroClientService } from '@ledgerline/xero-client';
import { ElementAnswer, Operation, OperationKind } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';

export interface MarkInvoicedBody {
  quoteXeroId: string;
  /** The invoice request that billed the quote (for the log). */
  invoiceRequestId: string;
}

/** Marks a quote INVOICED in Xero once the invoice made from it exists (Xero allows it from ACCEPTED). */
@Injectable()
export class QuoteMarkInvoicedKind implements OperationKind<MarkInvoicedBody, { status: string }> {
  private readonly logger = new Logger(QuoteMarkInvoicedKind.name);
  readonly name = 'quote.mark_invoiced';
  readonly batchSize = 1;

  constructor(private readonly xero: XeroClientService) {}

  async send(companyId: string, [operation]: Operation<MarkInvoicedBody>[], idempotencyKey: string): Promise<ElementAnswer<{ status: string }>[]> {
    const quote = await this.xero.updateQuoteStatus(companyId, operation.body.quoteXeroId, 'INVOICED', { idempotencyKey });
    return [{ ok: true, result: { status: String(quote.status ?? 'INVOICED') } }];
  }

  async lookUp(companyId: string, operations: Operation<MarkInvoicedBody>[]): Promise<({ status: string } | undefined)[]> {
    const quote = await this.xero.getQuote(companyId, operations[0].body.quoteXeroId);
    return [String(quote.status) === 'INVOICED' ? { status: 'INVOICED' } : undefined];
  }

  async succeeded(tx: EntityManager, operation: Operation<MarkInvoicedBody>, result: { status: string }): Promise<void> {
    await tx.query(`UPDATE ${Tables.documents} SET "xero_status" = $3, "updated_at" = now() WHERE "id" = $1 AND "company_id" = $2`, [
      operation.target,
      operation.companyId,
      result.status,
    ]);
  }

  async failed(_tx: EntityManager, operation: Operation<MarkInvoicedBody>, failure: Failure): Promise<void> {
    // The invoice exists either way; the quote stays as Xero has it (e.g. not accepted yet), and the sync log says why.
    this.logger.warn(`quote ${operation.body.quoteXeroId} of ${operation.companyId} was not marked INVOICED for invoice ${operation.body.invoiceRequestId}: ${failure.code} ${failure.messages.join('; ')}`);
  }

  xeroIdOf(): string | undefined {
    return undefined;
  }
}
