import { InvoiceRequestedPayload } from '@ledgerline/contracts';
import { XeroClientService } from '@ledgerline/xero-client';
import { Injectable } from '@nestjs/common';
import { CurrencyCode, Invoice, LineAmountTypes } from 'xero-node';
import { DocumentSender } from '../dispatch/document-sender';
import { DocumentOutcome, ElementResult, invoiceOutcome, XeroInvoiceRecord } from '../dispatch/domain/batch-outcome';
import { toXeroInvoice, XeroInvoiceDraft } from './domain/invoice-mapping';

/** xero-node's enums are its own types; their values are Xero's strings, which the draft already holds. */
export function toXeroNodeInvoice(draft: XeroInvoiceDraft): Invoice {
  return {
    ...draft,
    type: Invoice.TypeEnum.ACCREC,
    status: draft.status === 'AUTHORISED' ? Invoice.StatusEnum.AUTHORISED : Invoice.StatusEnum.DRAFT,
    currencyCode: draft.currencyCode as unknown as CurrencyCode,
    lineAmountTypes: draft.lineAmountTypes === undefined ? undefined : LineAmountTypes[draft.lineAmountTypes],
  };
}

/** Sales invoices: ACCREC, created in batches through the Xero client. */
@Injectable()
export class InvoiceSender implements DocumentSender {
  readonly type = 'invoice' as const;

  constructor(private readonly xero: XeroClientService) {}

  buildElement(request: Record<string, unknown>, xeroContactId: string): XeroInvoiceDraft {
    return toXeroInvoice(request as unknown as InvoiceRequestedPayload, xeroContactId);
  }

  send(companyId: string, elements: unknown[], idempotencyKey: string): Promise<ElementResult<unknown>[]> {
    const invoices = (elements as XeroInvoiceDraft[]).map(toXeroNodeInvoice);
    return this.xero.createInvoices(companyId, invoices, { idempotencyKey });
  }

  outcome(result: ElementResult<unknown>, currencyCode: string): DocumentOutcome {
    return invoiceOutcome(result as ElementResult<XeroInvoiceRecord>, currencyCode);
  }
}
