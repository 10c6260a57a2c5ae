import { PayloadOf, Topic, Topics } from '@ledgerline/contracts';
import { Balance, ReconciliationDecision } from './reconcile-invoice';

/** One decision as the event that announces it. */
export interface Announcement<T extends Topic = Topic> {
  topic: T;
  payload: PayloadOf<T>;
}

const BALANCE_TOPICS = {
  'invoice.paid': Topics.InvoicePaid,
  'invoice.partially_paid': Topics.InvoicePartiallyPaid,
  'invoice.unpaid': Topics.InvoiceUnpaid,
  'invoice.voided': Topics.InvoiceVoided,
  'invoice.deleted': Topics.InvoiceDeleted,
} as const;

const withRequest = (requestId: string | undefined) => (requestId ? { requestId } : {});

function balancePayload(xeroInvoiceId: string, requestId: string | undefined, balance: Balance) {
  return {
    xeroInvoiceId,
    ...withRequest(requestId),
    total: balance.total,
    amountPaid: balance.amountPaid,
    amountCredited: balance.amountCredited,
    amountDue: balance.amountDue,
    currencyCode: balance.currencyCode,
  };
}

/** The catalogue event of a decision: every decision the rules make has one. */
export function announcementOf(decision: ReconciliationDecision): Announcement {
  switch (decision.kind) {
    case 'payment.recorded':
      return {
        topic: Topics.PaymentRecorded,
        payload: {
          xeroPaymentId: decision.xeroPaymentId,
          xeroInvoiceId: decision.xeroInvoiceId,
          ...withRequest(decision.requestId),
          amount: decision.amount,
          currencyCode: decision.currencyCode,
          date: decision.date,
          ...(decision.reference ? { reference: decision.reference } : {}),
        },
      };
    case 'payment.reversed':
      return {
        topic: Topics.PaymentReversed,
        payload: { xeroPaymentId: decision.xeroPaymentId, xeroInvoiceId: decision.xeroInvoiceId, ...withRequest(decision.requestId), amount: decision.amount },
      };
    case 'credit.allocated':
    case 'credit.unallocated':
      return {
        topic: decision.kind === 'credit.allocated' ? Topics.CreditAllocated : Topics.CreditUnallocated,
        payload: {
          creditKind: decision.creditKind,
          creditId: decision.creditId,
          xeroInvoiceId: decision.xeroInvoiceId,
          ...withRequest(decision.requestId),
          amount: decision.amount,
          appliedTotal: decision.appliedTotal,
          currencyCode: decision.currencyCode,
          ...(decision.date ? { date: decision.date } : {}),
        },
      };
    default:
      return { topic: BALANCE_TOPICS[decision.kind], payload: balancePayload(decision.xeroInvoiceId, decision.requestId, decision.balance) };
  }
}

/** Where an invoice stands after a balance decision (for the API); undefined for decisions that are not balances. */
export function standingAfter(decision: ReconciliationDecision): 'paid' | 'partially_paid' | 'unpaid' | 'voided' | 'deleted' | undefined {
  switch (decision.kind) {
    case 'invoice.paid':
      return 'paid';
    case 'invoice.partially_paid':
      return 'partially_paid';
    case 'invoice.unpaid':
      return 'unpaid';
    case 'invoice.voided':
      return 'voided';
    case 'invoice.deleted':
      return 'deleted';
    default:
      return undefined;
  }
}
