import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { msDate, parseXeroDate, startOfUtcDay } from '../common/xero-json';
import { StoredRecord, XeroRecord } from '../store/resource-store.service';
import { money } from './document-lines';
import { allocatedFrom } from './documents.resource';
import { ResourceDefinition, sameText, str, WriteContext } from './resource-definition';

/** How each kind of credit names itself inside an allocation and on the invoice it is allocated to. */
const CREDIT_KINDS: Record<string, { single: string; idField: string; numberField?: string }> = {
  CreditNotes: { single: 'CreditNote', idField: 'CreditNoteID', numberField: 'CreditNoteNumber' },
  Prepayments: { single: 'Prepayment', idField: 'PrepaymentID' },
  Overpayments: { single: 'Overpayment', idField: 'OverpaymentID' },
};

const SALES_CREDIT_TYPES = new Set(['ACCRECCREDIT', 'RECEIVE-PREPAYMENT', 'RECEIVE-OVERPAYMENT']);

function findInvoice(ref: unknown, ctx: WriteContext): StoredRecord | undefined {
  if (!ref || typeof ref !== 'object') return undefined;
  const id = str((ref as XeroRecord)['InvoiceID']);
  if (id) return ctx.find('Invoices', id);
  const number = str((ref as XeroRecord)['InvoiceNumber']);
  return number ? ctx.records('Invoices').find((r) => sameText(r.data['InvoiceNumber'], number) && r.data['Status'] !== 'DELETED') : undefined;
}

/**
 * The invoice's list of one kind of credit, with `amount` more applied from `source` (less when negative):
 * one entry per credit carrying its applied total, as Xero lists them; an entry at zero leaves the list.
 */
function withApplied(list: unknown, kind: (typeof CREDIT_KINDS)[string], source: StoredRecord, amount: Decimal, date: number): XeroRecord[] {
  const entries = ((list as XeroRecord[] | undefined) ?? []).map((e) => ({ ...e }));
  const entry = entries.find((e) => String(e[kind.idField]).toLowerCase() === source.id.toLowerCase());
  if (entry) entry['AppliedAmount'] = money(entry['AppliedAmount']).plus(amount).toNumber();
  else
    entries.push({
      [kind.idField]: source.id,
      ...(kind.numberField ? { [kind.numberField]: source.data[kind.numberField] } : {}),
      Type: source.data['Type'],
      Date: msDate(date),
      Total: source.data['Total'],
      AppliedAmount: amount.toNumber(),
    });
  return entries.filter((e) => !money(e['AppliedAmount']).isZero());
}

/**
 * Allocations of one credit (credit note, prepayment or overpayment) to invoices, as a resource the generic
 * write engine runs: each element is checked against the credit and the invoice as they stand inside the
 * request (earlier elements included), and its commit lowers the credit's RemainingCredit and the invoice's
 * AmountDue together, so both records (and their webhooks) change in one step.
 */
export function allocationsOf(credit: ResourceDefinition, creditId: string): ResourceDefinition {
  const kind = CREDIT_KINDS[credit.collection];
  if (!kind) throw new Error(`${credit.collection} cannot be allocated`);
  return {
    collection: 'Allocations',
    idField: 'AllocationID',
    findExisting: () => undefined,
    write(input, _existing, ctx) {
      const errors: string[] = [];
      const source = ctx.find(credit.collection, creditId);
      if (!source) return { ok: false, errors: [`${kind.single} could not be found.`], echo: input };
      if (source.data['Status'] !== 'AUTHORISED') errors.push(`Only an AUTHORISED ${kind.single.replace(/([a-z])([A-Z])/, '$1 $2').toLowerCase()} with remaining credit can be allocated.`);
      const invoice = findInvoice(input['Invoice'], ctx);
      if (!invoice) errors.push('Invoice could not be found.');
      else {
        if (invoice.data['Status'] !== 'AUTHORISED') errors.push('Allocations can only be made to AUTHORISED invoices.');
        const salesCredit = SALES_CREDIT_TYPES.has(String(source.data['Type']));
        if ((invoice.data['Type'] === 'ACCREC') !== salesCredit) errors.push(`A ${source.data['Type']} cannot be allocated to an ${invoice.data['Type']} invoice.`);
        const contactOf = (r: StoredRecord) => String((r.data['Contact'] as XeroRecord | undefined)?.['ContactID'] ?? '').toLowerCase();
        if (contactOf(invoice) !== contactOf(source)) errors.push('The invoice and the credit must be for the same contact.');
        if (invoice.data['CurrencyCode'] !== source.data['CurrencyCode']) errors.push('The invoice and the credit must be in the same currency.');
      }
      let amount: Decimal | undefined;
      try {
        amount = new Decimal(input['Amount'] as Decimal.Value);
      } catch {
        amount = undefined;
      }
      if (!amount || !amount.isFinite() || amount.lte(0)) errors.push('Allocation amount must be greater than zero.');
      else if (amount.decimalPlaces() > 2) errors.push('Allocation amount must have no more than 2 decimal places.');
      else {
        if (amount.gt(money(source.data['RemainingCredit']))) errors.push('The amount allocated exceeds the remaining credit.');
        if (invoice && amount.gt(money(invoice.data['AmountDue']))) errors.push('The amount allocated exceeds the amount due on the invoice.');
      }
      const dateMs = input['Date'] === undefined ? startOfUtcDay(ctx.now) : parseXeroDate(input['Date']);
      if (dateMs === undefined) errors.push(`Date '${input['Date']}' is not a valid date.`);
      if (errors.length > 0 || !invoice || !amount || dateMs === undefined) return { ok: false, errors, echo: input };

      const date = startOfUtcDay(dateMs);
      const allocationId = randomUUID();
      const invoiceRef = { InvoiceID: invoice.id, InvoiceNumber: invoice.data['InvoiceNumber'], Payments: [], CreditNotes: [], Prepayments: [], Overpayments: [], HasErrors: false, IsDiscounted: false, LineItems: [] };
      const data: XeroRecord = {
        AllocationID: allocationId,
        Amount: amount.toNumber(),
        Date: msDate(date),
        Invoice: invoiceRef,
        [kind.single]: { [kind.idField]: source.id, LineItems: [] },
        IsDeleted: false,
      };
      return {
        ok: true,
        data,
        commit: (commitCtx) => {
          const creditNow = commitCtx.find(credit.collection, creditId) ?? source;
          const invoiceNow = commitCtx.find('Invoices', invoice.id) ?? invoice;
          const allocation = { AllocationID: allocationId, Amount: amount.toNumber(), Date: msDate(date), Invoice: { InvoiceID: invoice.id, InvoiceNumber: invoice.data['InvoiceNumber'] }, IsDeleted: false };
          const creditData: XeroRecord = { ...creditNow.data, Allocations: [...((creditNow.data['Allocations'] as XeroRecord[] | undefined) ?? []), allocation] };
          const applied = allocatedFrom(creditData);
          const remaining = money(creditData['Total']).minus(applied);
          Object.assign(creditData, { AppliedAmount: applied.toNumber(), RemainingCredit: remaining.toNumber(), UpdatedDateUTC: msDate(commitCtx.now) });
          if (remaining.isZero()) creditData['Status'] = 'PAID';
          commitCtx.saveRelated(credit.collection, { ...creditNow, updatedAt: commitCtx.now, data: creditData }, 'UPDATE');

          const invoiceData = { ...invoiceNow.data };
          const listField = `${kind.single}s`;
          const credited = money(invoiceData['AmountCredited']).plus(amount);
          const due = money(invoiceData['Total']).minus(money(invoiceData['AmountPaid'])).minus(credited);
          invoiceData[listField] = withApplied(invoiceData[listField], kind, source, amount, date);
          invoiceData['AmountCredited'] = credited.toNumber();
          invoiceData['AmountDue'] = due.toNumber();
          if (due.isZero()) {
            invoiceData['Status'] = 'PAID';
            invoiceData['FullyPaidOnDate'] = msDate(date);
          }
          invoiceData['UpdatedDateUTC'] = msDate(commitCtx.now);
          commitCtx.saveRelated('Invoices', { ...invoiceNow, updatedAt: commitCtx.now, data: invoiceData }, 'UPDATE');
        },
      };
    },
  };
}


/**
 * Removing one allocation (DELETE /{Collection}/{id}/Allocations/{AllocationID}): the allocation is kept,
 * marked IsDeleted, and the credit and the invoice take the amount back, both in one step.
 */
export function allocationRemovalOf(credit: ResourceDefinition, creditId: string, allocationId: string): ResourceDefinition {
  const kind = CREDIT_KINDS[credit.collection];
  if (!kind) throw new Error(`${credit.collection} cannot be allocated`);
  return {
    collection: 'Allocations',
    idField: 'AllocationID',
    findExisting: () => undefined,
    write(input, _existing, ctx) {
      const source = ctx.find(credit.collection, creditId);
      const allocation = ((source?.data['Allocations'] as XeroRecord[] | undefined) ?? []).find((a) => String(a['AllocationID']).toLowerCase() === allocationId.toLowerCase() && a['IsDeleted'] !== true);
      if (!source || !allocation) return { ok: false, errors: ['Allocation could not be found.'], echo: input };
      const invoiceId = String((allocation['Invoice'] as XeroRecord)['InvoiceID']);
      const invoice = ctx.find('Invoices', invoiceId);
      if (!invoice) return { ok: false, errors: ['Invoice could not be found.'], echo: input };
      const amount = money(allocation['Amount']);
      const data: XeroRecord = { ...allocation, Invoice: { InvoiceID: invoice.id, InvoiceNumber: invoice.data['InvoiceNumber'] }, IsDeleted: true };
      return {
        ok: true,
        data,
        commit: (commitCtx) => {
          const creditData: XeroRecord = {
            ...source.data,
            Allocations: ((source.data['Allocations'] as XeroRecord[]) ?? []).map((a) => (a['AllocationID'] === allocation['AllocationID'] ? { ...a, IsDeleted: true } : a)),
          };
          const applied = allocatedFrom(creditData);
          Object.assign(creditData, { AppliedAmount: applied.toNumber(), RemainingCredit: money(creditData['Total']).minus(applied).toNumber(), Status: 'AUTHORISED', UpdatedDateUTC: msDate(commitCtx.now) });
          commitCtx.saveRelated(credit.collection, { ...source, updatedAt: commitCtx.now, data: creditData }, 'UPDATE');

          const invoiceData = { ...invoice.data };
          const listField = `${kind.single}s`;
          invoiceData[listField] = withApplied(invoiceData[listField], kind, source, amount.negated(), commitCtx.now);
          const credited = money(invoiceData['AmountCredited']).minus(amount);
          invoiceData['AmountCredited'] = credited.toNumber();
          invoiceData['AmountDue'] = money(invoiceData['Total']).minus(money(invoiceData['AmountPaid'])).minus(credited).toNumber();
          if (invoiceData['Status'] === 'PAID') {
            invoiceData['Status'] = 'AUTHORISED';
            delete invoiceData['FullyPaidOnDate'];
          }
          invoiceData['UpdatedDateUTC'] = msDate(commitCtx.now);
          commitCtx.saveRelated('Invoices', { ...invoice, updatedAt: commitCtx.now, data: invoiceData }, 'UPDATE');
        },
      };
    },
  };
}
