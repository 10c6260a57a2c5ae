import { randomUUID } from 'node:crypto';
import { dateString, msDate, parseXeroDate, startOfUtcDay } from '../common/xero-json';
import { StoredRecord, XeroRecord } from '../store/resource-store.service';
import { contactSummary, resolveContact } from './contacts.resource';
import { lineAmountTypesOf, money, priceLines } from './document-lines';
import { ListOptions, ResourceDefinition, sameText, str, WriteContext } from './resource-definition';
import type { WebhookCategory } from '../webhooks/webhooks.service';

const NOT_MODIFIABLE = 'Invoice not of valid status for modification';
const HAS_PAYMENTS = 'This document cannot be edited as it has a payment or credit note allocated to it.';

interface DocumentSpec {
  collection: string;
  idField: string;
  numberField: string;
  /** Automatic numbering, e.g. INV- / QU- / PO-; per type for invoices (bills keep the supplier's number). */
  numberPrefix: (input: XeroRecord) => string | undefined;
  label: string;
  statuses: string[];
  createStatuses: string[];
  /** Allowed status moves (from -> to) besides staying put. */
  transitions: Record<string, string[]>;
  salesSide: (doc: XeroRecord) => boolean;
  /** Fields copied through from the request besides the common ones. */
  fields: string[];
  /** Document-specific validation and derived fields (payments for invoices). */
  finish?: (doc: XeroRecord, existing: StoredRecord | undefined, errors: string[], ctx: WriteContext) => void;
  listWithoutLines?: boolean;
  webhookCategory?: WebhookCategory;
  webhookData?: ResourceDefinition['webhookData'];
  allocatable?: boolean;
  /** What already settles the document (payments, allocated credit): while above zero it cannot be edited or voided. */
  settled?: (doc: XeroRecord | undefined) => ReturnType<typeof money>;
  /** Quotes spell LineAmountTypes in capitals (EXCLUSIVE), per Xero's QuoteLineAmountTypes. */
  upperCaseLineAmountTypes?: boolean;
  /** Query parameters of this collection's list besides IDs/Statuses/ContactIDs/numbers (Xero's GET /Quotes, /PurchaseOrders). */
  filters?: Record<string, (record: StoredRecord, values: string[]) => boolean>;
}

/** The document's Date as YYYY-MM-DD, for DateFrom/DateTo (inclusive, as Xero compares them). */
const dayOfRecord = (record: StoredRecord): string | undefined => {
  const parsed = parseXeroDate(record.data['Date']);
  return parsed === undefined ? undefined : dateString(parsed).slice(0, 10);
};

/** Xero's DateFrom/DateTo/ContactID/Status list parameters (single values), as GET /Quotes and /PurchaseOrders take them. */
const singleValueFilters = (withContact: boolean): Record<string, (record: StoredRecord, values: string[]) => boolean> => ({
  DateFrom: (record, [from]) => (dayOfRecord(record) ?? '') >= from.slice(0, 10),
  DateTo: (record, [to]) => (dayOfRecord(record) ?? '') <= to.slice(0, 10),
  Status: (record, [status]) => String(record.data['Status']).toLowerCase() === status,
  ...(withContact ? { ContactID: (record: StoredRecord, [id]: string[]) => String((record.data['Contact'] as XeroRecord | undefined)?.['ContactID']).toLowerCase() === id } : {}),
});

function documentDate(value: unknown, field: string, errors: string[]): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = parseXeroDate(value);
  if (parsed === undefined) errors.push(`${field} '${value}' is not a valid date.`);
  return parsed === undefined ? undefined : startOfUtcDay(parsed);
}

export function createDocumentResource(spec: DocumentSpec): ResourceDefinition {
  return {
    collection: spec.collection,
    idField: spec.idField,
    webhookCategory: spec.webhookCategory,
    webhookData: spec.webhookData,
    allocatable: spec.allocatable,
    sort: (a, b) => a.createdAt - b.createdAt,
    findExisting(input, ctx) {
      const id = str(input[spec.idField]);
      if (id) return ctx.find(spec.collection, id);
      const number = str(input[spec.numberField]);
      if (number && spec.numberPrefix(input) !== undefined) {
        return ctx.records(spec.collection).find((r) => sameText(r.data[spec.numberField], number) && r.data['Status'] !== 'DELETED' && r.data['Status'] !== 'VOIDED');
      }
      return undefined;
    },
    write(input, existing, ctx) {
      const errors: string[] = [];
      const id = str(input[spec.idField]);
      if (id && !existing) return { ok: false, errors: [`${spec.label} with ${spec.idField} '${id}' could not be found.`], echo: input };
      const before = existing?.data;
      const doc: XeroRecord = { ...(before ?? {}) };
      for (const field of ['Type', 'Reference', 'CurrencyCode', 'BrandingThemeID', 'Url', 'SentToContact', 'Title', 'Summary', 'Terms', 'DeliveryAddress', 'AttentionTo', 'Telephone', 'DeliveryInstructions', ...spec.fields]) {
        if (input[field] !== undefined) doc[field] = input[field];
      }
      const status = str(input['Status'])?.toUpperCase() ?? (before?.['Status'] as string | undefined) ?? 'DRAFT';
      if (!spec.statuses.includes(status)) errors.push(`${spec.label} Status '${input['Status']}' is not valid.`);
      const previousStatus = before?.['Status'] as string | undefined;
      if (!previousStatus && spec.statuses.includes(status) && !spec.createStatuses.includes(status)) {
        errors.push(`A new ${spec.label.toLowerCase()} cannot be created with status ${status}.`);
      }
      const settled = spec.settled ? spec.settled(before) : money(before?.['AmountPaid']);
      if (previousStatus) {
        const changesContent = ['LineItems', 'Contact', 'Date', 'DueDate', 'LineAmountTypes'].some((f) => input[f] !== undefined);
        if (previousStatus === 'PAID' || (settled.gt(0) && (changesContent || status !== previousStatus))) {
          errors.push(HAS_PAYMENTS);
        } else if (status !== previousStatus && !(spec.transitions[previousStatus] ?? []).includes(status)) {
          errors.push(spec.collection === 'Invoices' ? NOT_MODIFIABLE : `${spec.label} not of valid status for modification`);
        } else if (['DELETED', 'VOIDED'].includes(previousStatus)) {
          errors.push(spec.collection === 'Invoices' ? NOT_MODIFIABLE : `${spec.label} not of valid status for modification`);
        }
      }
      doc['Status'] = status;

      const contactRef = input['Contact'] ?? before?.['Contact'];
      const { contact, error } = resolveContact(contactRef, ctx);
      if (error) errors.push(error);
      if (contact) doc['Contact'] = contactSummary(contact);

      const date = documentDate(input['Date'], 'Date', errors) ?? (before?.['Date'] ? parseXeroDate(before['Date']) : undefined) ?? startOfUtcDay(ctx.now);
      doc['Date'] = msDate(date);
      doc['DateString'] = dateString(date);
      for (const field of ['DueDate', 'ExpiryDate', 'DeliveryDate']) {
        if (!spec.fields.includes(field)) continue;
        const value = documentDate(input[field], field, errors) ?? (before?.[field] ? parseXeroDate(before[field]) : undefined);
        if (value !== undefined) {
          doc[field] = msDate(value);
          doc[`${field}String`] = dateString(value);
        }
      }

      const lineAmountTypes = lineAmountTypesOf(input['LineAmountTypes'] ?? before?.['LineAmountTypes'], errors);
      doc['LineAmountTypes'] = spec.upperCaseLineAmountTypes ? lineAmountTypes.toUpperCase() : lineAmountTypes;
      const rawLines = input['LineItems'] ?? before?.['LineItems'] ?? [];
      const priced = priceLines(rawLines, lineAmountTypes, ctx, spec.salesSide(doc), errors);
      Object.assign(doc, { LineItems: priced.lines, SubTotal: priced.SubTotal, TotalTax: priced.TotalTax, Total: priced.Total });
      doc['CurrencyCode'] ??= 'NZD';
      doc['CurrencyRate'] ??= 1;

      const prefix = spec.numberPrefix(doc);
      const number = str(input[spec.numberField]) ?? str(before?.[spec.numberField]);
      if (number && prefix !== undefined) {
        const clash = ctx.records(spec.collection).some(
          (r) => r.id !== existing?.id && sameText(r.data[spec.numberField], number) && spec.numberPrefix(r.data) !== undefined && r.data['Status'] !== 'DELETED',
        );
        if (clash) errors.push(`${spec.label === 'Invoice' ? 'Invoice' : spec.label} # must be unique.`);
      }
      spec.finish?.(doc, existing, errors, ctx);
      if (errors.length > 0) return { ok: false, errors, echo: { ...input, ...(existing ? { [spec.idField]: existing.id } : {}) } };

      if (number) doc[spec.numberField] = number;
      else if (prefix !== undefined) doc[spec.numberField] = `${prefix}${String(ctx.nextNumber(spec.collection + prefix)).padStart(4, '0')}`;
      doc[spec.idField] = existing?.id ?? randomUUID();
      doc['UpdatedDateUTC'] = msDate(ctx.now);
      doc['HasAttachments'] = false;
      doc['HasErrors'] = false;
      return { ok: true, data: doc };
    },
    present(record, options: ListOptions & { single: boolean }) {
      if (spec.listWithoutLines && !options.single && !options.paged) return { ...record.data, LineItems: [] };
      return record.data;
    },
    queryFilters: {
      IDs: (record, values) => values.includes(record.id.toLowerCase()),
      Statuses: (record, values) => values.includes(String(record.data['Status']).toLowerCase()),
      ContactIDs: (record, values) => values.includes(String((record.data['Contact'] as XeroRecord | undefined)?.['ContactID']).toLowerCase()),
      [`${spec.numberField}s`]: (record, values) => values.includes(String(record.data[spec.numberField]).toLowerCase()),
      ...spec.filters,
    },
  };
}

export const invoicesResource = createDocumentResource({
  collection: 'Invoices',
  idField: 'InvoiceID',
  numberField: 'InvoiceNumber',
  numberPrefix: (doc) => (doc['Type'] === 'ACCREC' ? 'INV-' : undefined),
  label: 'Invoice',
  statuses: ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'DELETED', 'VOIDED'],
  createStatuses: ['DRAFT', 'SUBMITTED', 'AUTHORISED'],
  transitions: { DRAFT: ['SUBMITTED', 'AUTHORISED', 'DELETED'], SUBMITTED: ['DRAFT', 'AUTHORISED', 'DELETED'], AUTHORISED: ['VOIDED'] },
  salesSide: (doc) => doc['Type'] !== 'ACCPAY',
  fields: ['DueDate', 'ExpectedPaymentDate', 'PlannedPaymentDate'],
  listWithoutLines: true,
  webhookCategory: 'INVOICE',
  settled: (doc) => money(doc?.['AmountPaid']).plus(money(doc?.['AmountCredited'])),
  finish(doc, existing, errors) {
    const type = doc['Type'];
    if (type === undefined) errors.push('Invoice Type must be specified.');
    else if (type !== 'ACCREC' && type !== 'ACCPAY') errors.push(`Invoice Type '${type}' is not valid. Use ACCREC or ACCPAY.`);
    if (existing && existing.data['Type'] !== type) errors.push('The Type of an existing invoice cannot be changed.');
    const paid = money(existing?.data['AmountPaid']);
    const credited = money(existing?.data['AmountCredited']);
    if (paid.plus(credited).gt(money(doc['Total']))) errors.push('The invoice total cannot be less than the amount already paid.');
    // Payments and allocated credit are kept through edits; only their own calls change them.
    doc['Payments'] = existing?.data['Payments'] ?? [];
    doc['CreditNotes'] = existing?.data['CreditNotes'] ?? [];
    doc['Prepayments'] = existing?.data['Prepayments'] ?? [];
    doc['Overpayments'] = existing?.data['Overpayments'] ?? [];
    doc['AmountPaid'] = paid.toNumber();
    doc['AmountCredited'] = credited.toNumber();
    doc['AmountDue'] = ['DELETED', 'VOIDED'].includes(String(doc['Status'])) ? 0 : money(doc['Total']).minus(paid).minus(credited).toNumber();
    doc['IsDiscounted'] = (doc['LineItems'] as XeroRecord[]).some((l) => l['DiscountRate'] !== undefined);
  },
});

export const quotesResource = createDocumentResource({
  collection: 'Quotes',
  idField: 'QuoteID',
  numberField: 'QuoteNumber',
  numberPrefix: () => 'QU-',
  label: 'Quote',
  statuses: ['DRAFT', 'SENT', 'ACCEPTED', 'DECLINED', 'INVOICED', 'DELETED'],
  createStatuses: ['DRAFT', 'SENT'],
  transitions: { DRAFT: ['SENT', 'DELETED'], SENT: ['DRAFT', 'ACCEPTED', 'DECLINED', 'DELETED'], ACCEPTED: ['SENT', 'INVOICED', 'DELETED'], DECLINED: ['SENT', 'DELETED'], INVOICED: ['ACCEPTED'] },
  salesSide: () => true,
  fields: ['ExpiryDate'],
  upperCaseLineAmountTypes: true,
  filters: { ...singleValueFilters(true), QuoteNumber: (record, [number]) => String(record.data['QuoteNumber']).toLowerCase() === number },
});

export const purchaseOrdersResource = createDocumentResource({
  collection: 'PurchaseOrders',
  idField: 'PurchaseOrderID',
  numberField: 'PurchaseOrderNumber',
  numberPrefix: () => 'PO-',
  label: 'Purchase Order',
  statuses: ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'BILLED', 'DELETED'],
  createStatuses: ['DRAFT', 'SUBMITTED', 'AUTHORISED'],
  transitions: { DRAFT: ['SUBMITTED', 'AUTHORISED', 'DELETED'], SUBMITTED: ['DRAFT', 'AUTHORISED', 'DELETED'], AUTHORISED: ['BILLED', 'DELETED'], BILLED: ['AUTHORISED'] },
  salesSide: () => false,
  fields: ['DeliveryDate'],
  filters: singleValueFilters(false),
});

/** What has been allocated from a credit (credit note, prepayment, overpayment) so far. */
export const allocatedFrom = (doc: XeroRecord | undefined) =>
  ((doc?.['Allocations'] as XeroRecord[] | undefined) ?? []).filter((a) => a['IsDeleted'] !== true).reduce((sum, a) => sum.plus(money(a['Amount'])), money(0));

/**
 * Credit notes: documents like invoices (lines, tax, CN- numbering for sales ones) whose total is a credit.
 * Allocating one to an invoice (PUT /CreditNotes/{id}/Allocations) lowers its RemainingCredit and the
 * invoice's AmountDue; a fully allocated note is PAID.
 */
export const creditNotesResource = createDocumentResource({
  collection: 'CreditNotes',
  idField: 'CreditNoteID',
  numberField: 'CreditNoteNumber',
  numberPrefix: (doc) => (doc['Type'] === 'ACCRECCREDIT' ? 'CN-' : undefined),
  label: 'Credit Note',
  statuses: ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'DELETED', 'VOIDED'],
  createStatuses: ['DRAFT', 'SUBMITTED', 'AUTHORISED'],
  transitions: { DRAFT: ['SUBMITTED', 'AUTHORISED', 'DELETED'], SUBMITTED: ['DRAFT', 'AUTHORISED', 'DELETED'], AUTHORISED: ['VOIDED'] },
  salesSide: (doc) => doc['Type'] !== 'ACCPAYCREDIT',
  fields: ['DueDate'],
  webhookCategory: 'CREDITNOTE',
  webhookData: (record) => ({ Type: record.data['Type'], Status: record.data['Status'] }),
  allocatable: true,
  settled: allocatedFrom,
  finish(doc, existing, errors) {
    const type = doc['Type'];
    if (type === undefined) errors.push('Credit Note Type must be specified.');
    else if (type !== 'ACCRECCREDIT' && type !== 'ACCPAYCREDIT') errors.push(`Credit Note Type '${type}' is not valid. Use ACCRECCREDIT or ACCPAYCREDIT.`);
    if (existing && existing.data['Type'] !== type) errors.push('The Type of an existing credit note cannot be changed.');
    const allocated = allocatedFrom(existing?.data);
    doc['Allocations'] = existing?.data['Allocations'] ?? [];
    doc['Payments'] = existing?.data['Payments'] ?? [];
    doc['AppliedAmount'] = allocated.toNumber();
    doc['RemainingCredit'] = ['DELETED', 'VOIDED'].includes(String(doc['Status'])) ? 0 : money(doc['Total']).minus(allocated).toNumber();
  },
});
