/**
 * What the reconciliation knows about one invoice Ledgerline raised: the facts from `invoice.created`, and
 * what it has already announced. Plain data (decimal strings, ISO instants), so it can be stored as it is
 * and a decision can be replayed from it.
 */
export interface InvoiceLedger {
  companyId: string;
  xeroInvoiceId: string;
  requestId?: string;
  currencyCode: string;
  total: string;
  /** The newest invoice state seen (Xero's UpdatedDateUTC); older snapshots are not trusted for the balance. */
  lastSeenUpdatedAt?: string;
  /** The balance last announced; undefined until the first one. */
  announced?: AnnouncedBalance;
  /** Every Xero payment seen against the invoice, by PaymentID. */
  payments: Record<string, PaymentEntry>;
  /** Credit allocated to the invoice so far, by `kind:creditId`, as a decimal string. */
  credits: Record<string, string>;
  /** Set once the invoice is voided or deleted in Xero: nothing is announced after that. */
  closed?: 'VOIDED' | 'DELETED';
}

export interface AnnouncedBalance {
  amountPaid: string;
  amountCredited: string;
  amountDue: string;
}

export interface PaymentEntry {
  amount: string;
  /**
   * recorded: payment.recorded went out; reversed: payment.reversed followed it; deleted_unseen: Xero showed
   * it only as deleted (made and deleted between two looks), so it is neither recorded nor reversed, ever.
   */
  state: 'recorded' | 'reversed' | 'deleted_unseen';
}

/** The facts `invoice.created` gives about an invoice Ledgerline raised. */
export interface RaisedInvoice {
  companyId: string;
  xeroInvoiceId: string;
  requestId?: string;
  total: string;
  currencyCode: string;
}

export function startLedger(invoice: RaisedInvoice): InvoiceLedger {
  return {
    companyId: invoice.companyId,
    xeroInvoiceId: invoice.xeroInvoiceId.toLowerCase(),
    requestId: invoice.requestId,
    currencyCode: invoice.currencyCode.toUpperCase(),
    total: invoice.total,
    payments: {},
    credits: {},
  };
}
