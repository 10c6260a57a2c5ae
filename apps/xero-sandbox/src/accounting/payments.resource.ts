import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { dateString, msDate, parseXeroDate, startOfUtcDay } from '../common/xero-json';
import { StoredRecord, XeroRecord } from '../store/resource-store.service';
import { money } from './document-lines';
import { ResourceDefinition, sameText, str, WriteContext } from './resource-definition';

function findInvoice(ref: unknown, ctx: WriteContext): StoredRecord | undefined {
  if (!ref || typeof ref !== 'object') return undefined;
  const invoice = ref as XeroRecord;
  const id = str(invoice['InvoiceID']);
  if (id) return ctx.find('Invoices', id);
  const number = str(invoice['InvoiceNumber']);
  return number ? ctx.records('Invoices').find((r) => sameText(r.data['InvoiceNumber'], number) && r.data['Status'] !== 'DELETED') : undefined;
}

function findAccount(ref: unknown, ctx: WriteContext): { account?: StoredRecord; label: string } {
  if (!ref || typeof ref !== 'object') return { label: '' };
  const account = ref as XeroRecord;
  const id = str(account['AccountID']);
  const code = str(account['Code']);
  const found = id ? ctx.find('Accounts', id) : code ? ctx.records('Accounts').find((a) => sameText(a.data['Code'], code)) : undefined;
  return { account: found, label: code ?? id ?? '' };
}

/** Re-derives an invoice's paid figures and status from its payments (applied or reversed). */
function applyToInvoice(invoice: StoredRecord, payment: XeroRecord, delta: Decimal, ctx: WriteContext): void {
  const data = { ...invoice.data };
  const paid = money(data['AmountPaid']).plus(delta);
  // Credit allocated to the invoice (credit notes, prepayments, overpayments) stays where it is.
  const due = money(data['Total']).minus(paid).minus(money(data['AmountCredited']));
  const summary = { PaymentID: payment['PaymentID'], Date: payment['Date'], Amount: payment['Amount'], Reference: payment['Reference'], CurrencyRate: 1, HasAccount: false, HasValidationErrors: false };
  const payments = ((data['Payments'] as XeroRecord[] | undefined) ?? []).filter((p) => p['PaymentID'] !== payment['PaymentID']);
  data['Payments'] = delta.isNegative() ? payments : [...payments, summary];
  data['AmountPaid'] = paid.toNumber();
  data['AmountDue'] = due.toNumber();
  if (due.isZero()) {
    data['Status'] = 'PAID';
    data['FullyPaidOnDate'] = payment['Date'];
  } else {
    data['Status'] = 'AUTHORISED';
    delete data['FullyPaidOnDate'];
  }
  data['UpdatedDateUTC'] = msDate(ctx.now);
  ctx.saveRelated('Invoices', { ...invoice, updatedAt: ctx.now, data }, 'UPDATE');
}

/**
 * Payments against invoices. A payment moves its invoice to PAID (or leaves it part-paid); the only
 * change Xero allows to a payment is Status DELETED, which reverses it.
 */
export const paymentsResource: ResourceDefinition = {
  collection: 'Payments',
  idField: 'PaymentID',
  webhookCategory: 'PAYMENT',
  sort: (a, b) => a.createdAt - b.createdAt,
  findExisting(input, ctx) {
    const id = str(input['PaymentID']);
    return id ? ctx.find('Payments', id) : undefined;
  },
  write(input, existing, ctx) {
    if (existing) {
      if (str(input['Status'])?.toUpperCase() !== 'DELETED') return { ok: false, errors: ['A payment can only be deleted (Status DELETED); it cannot be edited.'], echo: input };
      if (existing.data['Status'] === 'DELETED') return { ok: false, errors: ['This payment has already been deleted.'], echo: input };
      const data = { ...existing.data, Status: 'DELETED', UpdatedDateUTC: msDate(ctx.now) };
      return {
        ok: true,
        data,
        commit: (commitCtx) => {
          const invoice = commitCtx.find('Invoices', String((existing.data['Invoice'] as XeroRecord)['InvoiceID']));
          if (invoice) applyToInvoice(invoice, data, money(existing.data['Amount']).negated(), commitCtx);
        },
      };
    }
    if (str(input['PaymentID'])) return { ok: false, errors: [`Payment with PaymentID '${input['PaymentID']}' could not be found.`], echo: input };
    const errors: string[] = [];
    const invoice = findInvoice(input['Invoice'], ctx);
    if (!invoice) errors.push('Invoice could not be found.');
    else if (invoice.data['Status'] !== 'AUTHORISED') errors.push('Payment can only be made against Authorised documents.');
    const { account, label } = findAccount(input['Account'], ctx);
    if (!label) errors.push('Account must be specified.');
    else if (!account) errors.push(`Account code '${label}' is not a valid code for this document.`);
    else if (account.data['Type'] !== 'BANK' && account.data['EnablePaymentsToAccount'] !== true) errors.push('Account type is invalid for making a payment to/from.');
    let amount: Decimal | undefined;
    try {
      amount = new Decimal(input['Amount'] as Decimal.Value);
    } catch {
      amount = undefined;
    }
    if (!amount || !amount.isFinite() || amount.lte(0)) errors.push('Payment amount must be greater than zero.');
    else if (amount.decimalPlaces() > 2) errors.push('Payment amount must have no more than 2 decimal places.');
    else if (invoice && amount.gt(money(invoice.data['AmountDue']))) errors.push('Payment amount exceeds the amount outstanding on this document.');
    const dateMs = input['Date'] === undefined ? startOfUtcDay(ctx.now) : parseXeroDate(input['Date']);
    if (dateMs === undefined) errors.push(`Date '${input['Date']}' is not a valid date.`);
    if (errors.length > 0 || !invoice || !account || !amount || dateMs === undefined) return { ok: false, errors, echo: input };
    const date = startOfUtcDay(dateMs);
    const invoiceData = invoice.data;
    const data: XeroRecord = {
      PaymentID: randomUUID(),
      Date: msDate(date),
      BankAmount: amount.toNumber(),
      Amount: amount.toNumber(),
      Reference: str(input['Reference']) ?? '',
      CurrencyRate: 1,
      PaymentType: invoiceData['Type'] === 'ACCPAY' ? 'ACCPAYPAYMENT' : 'ACCRECPAYMENT',
      Status: 'AUTHORISED',
      UpdatedDateUTC: msDate(ctx.now),
      HasAccount: true,
      IsReconciled: input['IsReconciled'] === true,
      Account: { AccountID: account.id, Code: account.data['Code'] },
      Invoice: {
        Type: invoiceData['Type'],
        InvoiceID: invoice.id,
        InvoiceNumber: invoiceData['InvoiceNumber'],
        Contact: invoiceData['Contact'],
        CurrencyCode: invoiceData['CurrencyCode'],
        Payments: [],
        CreditNotes: [],
        Prepayments: [],
        Overpayments: [],
        HasErrors: false,
        IsDiscounted: false,
        LineItems: [],
      },
      HasValidationErrors: false,
    };
    data['DateString'] = dateString(date);
    return {
      ok: true,
      data,
      commit: (commitCtx) => applyToInvoice(commitCtx.find('Invoices', invoice.id) ?? invoice, data, amount, commitCtx),
    };
  },
  queryFilters: {
    IDs: (record, values) => values.includes(record.id.toLowerCase()),
  },
};
