import { LedgerlineEvent, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { announcementOf, standingAfter } from './domain/announcement';
import { startLedger } from './domain/invoice-ledger';
import { formatAmount } from './domain/money';
import { InvoiceObservation, reconcileInvoice } from './domain/reconcile-invoice';
import { ReconciliationRecords } from './reconciliation.repository';

/** Where a look at Xero came from, for the history and the events' causation. */
export interface LookContext {
  source: 'webhook' | 'poll';
  operationId: string | null;
  causationId: string | null;
}

/** What one look at Xero saw of one invoice. */
export interface SeenInvoice {
  xeroInvoiceId: string;
  observation: InvoiceObservation;
}

/**
 * Applies what was seen in Xero to the invoices Ledgerline raised: the pure rules decide, and each decision is
 * kept (with what Xero said), applied to the payments list and announced through the outbox, all in the
 * caller's transaction. Invoices Ledgerline did not raise are skipped.
 */
@Injectable()
export class Reconciliation {
  private readonly logger = new Logger(Reconciliation.name);

  constructor(
    private readonly records: ReconciliationRecords,
    private readonly publisher: EventPublisher,
  ) {}

  /** invoice.created: the invoice's ledger starts; true when it was new. */
  async invoiceRaised(tx: EntityManager, event: LedgerlineEvent<typeof Topics.InvoiceCreated>): Promise<boolean> {
    const { payload } = event;
    const ledger = startLedger({ companyId: event.companyId, xeroInvoiceId: payload.xeroId, requestId: payload.requestId, total: payload.total, currencyCode: payload.currencyCode });
    const zero = formatAmount(0, ledger.currencyCode);
    const total = formatAmount(ledger.total, ledger.currencyCode);
    return this.records.raise(tx, {
      ledger,
      balance: { total, amountPaid: zero, amountCredited: zero, amountDue: total, currencyCode: ledger.currencyCode },
      correlationId: event.correlationId,
      raisedAt: event.occurredAt,
    });
  }

  /** Returns how many decisions were made. */
  async apply(tx: EntityManager, companyId: string, seen: SeenInvoice[], context: LookContext): Promise<number> {
    if (seen.length === 0) return 0;
    const invoices = await this.records.lock(tx, companyId, [...new Set(seen.map((s) => s.xeroInvoiceId.toLowerCase()))]);
    let decided = 0;
    for (const { xeroInvoiceId, observation } of seen) {
      const invoice = invoices.get(xeroInvoiceId.toLowerCase());
      if (!invoice) continue;
      const result = reconcileInvoice(invoice.ledger, observation);
      if (result.outcome === 'ignored') continue;
      let { balance, standing } = invoice;
      for (const decision of result.decisions) {
        const { topic, payload } = announcementOf(decision);
        const origin = context.causationId ? { correlationId: invoice.correlationId, causationId: context.causationId } : { correlationId: invoice.correlationId };
        const event = await this.publisher.publish(tx, topic, companyId, payload as never, origin);
        await this.records.recordHistory(tx, {
          id: randomUUID(),
          companyId,
          xeroInvoiceId: invoice.xeroInvoiceId,
          decision,
          observed: observation,
          source: context.source,
          operationId: context.operationId,
          eventId: event.id,
        });
        if (decision.kind === 'payment.recorded') await this.records.paymentRecorded(tx, companyId, decision);
        if (decision.kind === 'payment.reversed') await this.records.paymentReversed(tx, companyId, decision.xeroPaymentId);
        const after = standingAfter(decision);
        if (after && 'balance' in decision) {
          standing = after;
          balance = decision.balance;
        }
        decided++;
      }
      if (JSON.stringify(result.ledger) !== JSON.stringify(invoice.ledger)) {
        await this.records.save(tx, companyId, invoice.xeroInvoiceId, result.ledger, balance, standing);
        invoice.ledger = result.ledger;
        invoice.balance = balance;
        invoice.standing = standing;
      }
    }
    if (decided > 0) this.logger.log(`company ${companyId}: ${decided} reconciliation decision(s) from ${context.source}`);
    return decided;
  }
}
