import Decimal from 'decimal.js';
import { AnnouncedBalance, InvoiceLedger, PaymentEntry } from './invoice-ledger';
import { formatAmount, toDecimal } from './money';

/** An invoice as Xero returns it (only what reconciliation reads). */
export interface XeroInvoiceView {
  invoiceId: string;
  status: 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED' | string;
  total: number | string;
  amountPaid: number | string;
  amountCredited: number | string;
  amountDue: number | string;
  currencyCode: string;
  /** ISO instant of Xero's UpdatedDateUTC. */
  updatedAt: string;
  /** The invoice's live payments (Xero leaves deleted ones out of this list). */
  payments: { paymentId: string; amount: number | string; date: string; reference?: string }[];
  /** Credit allocated to it: credit notes, prepayments, overpayments, each with its applied total. */
  credits: { kind: CreditKind; creditId: string; appliedAmount: number | string; date?: string }[];
}

/** A payment as the Payments endpoint returns it; deleted ones come back in an incremental poll with Status DELETED. */
export interface XeroPaymentView {
  paymentId: string;
  invoiceId: string;
  status: 'AUTHORISED' | 'DELETED' | string;
  amount: number | string;
  date: string;
  reference?: string;
}

export type CreditKind = 'credit_note' | 'prepayment' | 'overpayment';

/** What was seen of one invoice: its own state (a fetch after a webhook, or a poll page) and/or payments of it. */
export interface InvoiceObservation {
  invoice?: XeroInvoiceView;
  payments?: XeroPaymentView[];
}

export interface Balance {
  total: string;
  amountPaid: string;
  amountCredited: string;
  amountDue: string;
  currencyCode: string;
}

/** One thing to announce, in the order it is to be announced. */
export type ReconciliationDecision =
  | { kind: 'payment.recorded'; xeroPaymentId: string; xeroInvoiceId: string; requestId?: string; amount: string; currencyCode: string; date: string; reference?: string }
  | { kind: 'payment.reversed'; xeroPaymentId: string; xeroInvoiceId: string; requestId?: string; amount: string }
  | { kind: 'credit.allocated' | 'credit.unallocated'; creditKind: CreditKind; creditId: string; xeroInvoiceId: string; requestId?: string; amount: string; appliedTotal: string; currencyCode: string; date?: string }
  | { kind: 'invoice.paid' | 'invoice.partially_paid' | 'invoice.unpaid'; xeroInvoiceId: string; requestId?: string; balance: Balance }
  | { kind: 'invoice.voided' | 'invoice.deleted'; xeroInvoiceId: string; requestId?: string; balance: Balance };

export type ReconcileResult =
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'reconciled'; decisions: ReconciliationDecision[]; ledger: InvoiceLedger };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Decides what one observation of an invoice means, against what was already announced. The rules:
 * - only invoices Ledgerline raised are reconciled (no ledger: ignored);
 * - `payment.recorded` exactly once per Xero payment, however often and by whichever path it is seen;
 * - `payment.reversed` once, when a recorded payment is deleted (Status DELETED, or gone from a current
 *   invoice's payments); a payment only ever seen deleted is neither;
 * - credit allocated (credit notes, prepayments, overpayments) is announced by its change per credit;
 * - then the balance, once per change: `invoice.paid` at nothing due, `invoice.partially_paid` while part is
 *   settled, `invoice.unpaid` when a reversal leaves nothing settled (no catalogue event yet);
 * - a voided or deleted invoice is announced once and closes the ledger;
 * - an invoice snapshot older than one already seen is not trusted (events arrive out of order): its
 *   balance and payment list are skipped; explicit payment records still count (a deletion is final).
 * Applying the same observation again decides nothing.
 */
export function reconcileInvoice(ledger: InvoiceLedger | undefined, observation: InvoiceObservation): ReconcileResult {
  if (!ledger) return { outcome: 'ignored', reason: 'not an invoice Ledgerline raised' };
  const invoice = observation.invoice;
  if (invoice && !same(invoice.invoiceId, ledger.xeroInvoiceId)) throw new Error(`observation of invoice ${invoice.invoiceId} given for ledger ${ledger.xeroInvoiceId}`);
  const foreign = (observation.payments ?? []).find((p) => !same(p.invoiceId, ledger.xeroInvoiceId));
  if (foreign) throw new Error(`payment ${foreign.paymentId} belongs to invoice ${foreign.invoiceId}, not ${ledger.xeroInvoiceId}`);
  if (ledger.closed) return { outcome: 'reconciled', decisions: [], ledger };

  const next: InvoiceLedger = { ...ledger, payments: { ...ledger.payments }, credits: { ...ledger.credits } };
  const decisions: ReconciliationDecision[] = [];
  const currency = ledger.currencyCode;
  const ids = { xeroInvoiceId: ledger.xeroInvoiceId, ...(ledger.requestId ? { requestId: ledger.requestId } : {}) };
  const fresh = invoice !== undefined && (!ledger.lastSeenUpdatedAt || Date.parse(invoice.updatedAt) >= Date.parse(ledger.lastSeenUpdatedAt));

  // Payments: explicit records first (they carry the status), then a fresh invoice's live list.
  const live = new Map<string, { amount: number | string; date: string; reference?: string }>();
  const deleted = new Set<string>();
  for (const payment of observation.payments ?? []) {
    const id = payment.paymentId.toLowerCase();
    if (payment.status === 'DELETED') deleted.add(id);
    else live.set(id, payment);
  }
  if (fresh) {
    for (const payment of invoice.payments) if (!deleted.has(payment.paymentId.toLowerCase())) live.set(payment.paymentId.toLowerCase(), payment);
    // A recorded payment missing from the current list was deleted.
    for (const [id, entry] of Object.entries(next.payments)) if (entry.state === 'recorded' && !live.has(id)) deleted.add(id);
  }
  for (const [id, payment] of live) {
    if (deleted.has(id) || next.payments[id]) continue;
    const amount = formatAmount(toDecimal(payment.amount), currency);
    next.payments[id] = { amount, state: 'recorded' };
    decisions.push({ kind: 'payment.recorded', xeroPaymentId: id, ...ids, amount, currencyCode: currency, date: payment.date, ...(payment.reference ? { reference: payment.reference } : {}) });
  }
  for (const id of deleted) {
    const entry: PaymentEntry | undefined = next.payments[id];
    if (entry?.state === 'recorded') {
      next.payments[id] = { ...entry, state: 'reversed' };
      decisions.push({ kind: 'payment.reversed', xeroPaymentId: id, ...ids, amount: entry.amount });
    } else if (!entry) {
      const seen = (observation.payments ?? []).find((p) => p.paymentId.toLowerCase() === id);
      next.payments[id] = { amount: formatAmount(toDecimal(seen?.amount ?? 0), currency), state: 'deleted_unseen' };
    }
  }

  if (!fresh) return { outcome: 'reconciled', decisions, ledger: next };
  next.lastSeenUpdatedAt = invoice.updatedAt;

  // Credit: per credit, the change of its applied total (an allocation removed in Xero lowers it).
  for (const credit of invoice.credits) {
    const key = `${credit.kind}:${credit.creditId.toLowerCase()}`;
    const before = toDecimal(next.credits[key] ?? '0');
    const now = toDecimal(credit.appliedAmount);
    if (now.equals(before)) continue;
    next.credits[key] = formatAmount(now, currency);
    decisions.push({
      kind: now.gt(before) ? 'credit.allocated' : 'credit.unallocated',
      creditKind: credit.kind,
      creditId: credit.creditId.toLowerCase(),
      ...ids,
      amount: formatAmount(now.minus(before).abs(), currency),
      appliedTotal: formatAmount(now, currency),
      currencyCode: currency,
      ...(credit.date ? { date: credit.date } : {}),
    });
  }
  for (const key of Object.keys(next.credits)) {
    const [kind, creditId] = key.split(':') as [CreditKind, string];
    if (invoice.credits.some((c) => c.kind === kind && same(c.creditId, creditId)) || toDecimal(next.credits[key]).isZero()) continue;
    decisions.push({ kind: 'credit.unallocated', creditKind: kind, creditId, ...ids, amount: next.credits[key], appliedTotal: formatAmount(0, currency), currencyCode: currency });
    next.credits[key] = formatAmount(0, currency);
  }

  const balance = balanceOf(invoice, currency);
  if (invoice.status === 'VOIDED' || invoice.status === 'DELETED') {
    next.closed = invoice.status;
    decisions.push({ kind: invoice.status === 'VOIDED' ? 'invoice.voided' : 'invoice.deleted', ...ids, balance });
    return { outcome: 'reconciled', decisions, ledger: next };
  }
  const announced: AnnouncedBalance = { amountPaid: balance.amountPaid, amountCredited: balance.amountCredited, amountDue: balance.amountDue };
  const unchanged = next.announced
    ? next.announced.amountPaid === announced.amountPaid && next.announced.amountCredited === announced.amountCredited && next.announced.amountDue === announced.amountDue
    : toDecimal(balance.amountPaid).isZero() && toDecimal(balance.amountCredited).isZero();
  if (!unchanged) {
    next.announced = announced;
    decisions.push({ kind: standing(balance), ...ids, balance });
  }
  next.total = balance.total;
  return { outcome: 'reconciled', decisions, ledger: next };
}

function balanceOf(invoice: XeroInvoiceView, currency: string): Balance {
  return {
    total: formatAmount(toDecimal(invoice.total), currency),
    amountPaid: formatAmount(toDecimal(invoice.amountPaid), currency),
    amountCredited: formatAmount(toDecimal(invoice.amountCredited), currency),
    amountDue: formatAmount(toDecimal(invoice.amountDue), currency),
    currencyCode: currency,
  };
}

function standing(balance: Balance): 'invoice.paid' | 'invoice.partially_paid' | 'invoice.unpaid' {
  const settled: Decimal = toDecimal(balance.amountPaid).plus(toDecimal(balance.amountCredited));
  if (toDecimal(balance.amountDue).lte(0) && settled.gt(0)) return 'invoice.paid';
  return settled.gt(0) ? 'invoice.partially_paid' : 'invoice.unpaid';
}
