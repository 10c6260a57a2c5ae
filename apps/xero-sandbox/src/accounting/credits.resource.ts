import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { dateString, msDate, parseXeroDate, startOfUtcDay } from '../common/xero-json';
import type { WebhookCategory } from '../webhooks/webhooks.service';
import { contactSummary, resolveContact } from './contacts.resource';
import { priceLines } from './document-lines';
import { ResourceDefinition, str } from './resource-definition';

interface CreditSpec {
  collection: 'Prepayments' | 'Overpayments';
  idField: 'PrepaymentID' | 'OverpaymentID';
  label: string;
  /** The customer side first: it is the default. */
  types: [string, string];
  webhookCategory: WebhookCategory;
  /** The account the money is coded to when only an amount is given. */
  defaultAccountCode: string;
}

/**
 * Prepayments and overpayments: money a contact paid before (or beyond) an invoice, kept as its own
 * document with a RemainingCredit that allocations to invoices use up. Xero's API only reads and
 * allocates them (they arise from bank transactions and payments in the Xero app), so here they are
 * read-only over the API and created through the test API, as a Xero user would.
 */
function createCreditResource(spec: CreditSpec): ResourceDefinition {
  return {
    collection: spec.collection,
    idField: spec.idField,
    readOnly: true,
    allocatable: true,
    webhookCategory: spec.webhookCategory,
    sort: (a, b) => a.createdAt - b.createdAt,
    findExisting(input, ctx) {
      const id = str(input[spec.idField]);
      return id ? ctx.find(spec.collection, id) : undefined;
    },
    write(input, existing, ctx) {
      if (existing) return { ok: false, errors: [`A ${spec.label.toLowerCase()} cannot be edited; allocate it instead.`], echo: input };
      const errors: string[] = [];
      const type = str(input['Type'])?.toUpperCase() ?? spec.types[0];
      if (!spec.types.includes(type)) errors.push(`${spec.label} Type '${input['Type']}' is not valid. Use ${spec.types.join(' or ')}.`);
      const { contact, error } = resolveContact(input['Contact'], ctx);
      if (error) errors.push(error);
      let rawLines = input['LineItems'];
      if (rawLines === undefined) {
        let amount: Decimal | undefined;
        try {
          amount = new Decimal(input['Amount'] as Decimal.Value);
        } catch {
          amount = undefined;
        }
        if (!amount || !amount.isFinite() || amount.lte(0)) errors.push(`${spec.label} amount must be greater than zero.`);
        else rawLines = [{ Description: spec.label, Quantity: 1, UnitAmount: amount.toNumber(), AccountCode: spec.defaultAccountCode, TaxType: 'NONE' }];
      }
      const priced = priceLines(rawLines ?? [], 'NoTax', ctx, type.startsWith('RECEIVE'), errors);
      if (priced.Total <= 0 && errors.length === 0) errors.push(`${spec.label} amount must be greater than zero.`);
      const dateMs = input['Date'] === undefined ? startOfUtcDay(ctx.now) : parseXeroDate(input['Date']);
      if (dateMs === undefined) errors.push(`Date '${input['Date']}' is not a valid date.`);
      if (errors.length > 0 || !contact || dateMs === undefined) return { ok: false, errors, echo: input };
      const date = startOfUtcDay(dateMs);
      return {
        ok: true,
        data: {
          [spec.idField]: randomUUID(),
          Type: type,
          Contact: contactSummary(contact),
          Date: msDate(date),
          DateString: dateString(date),
          Status: 'AUTHORISED',
          LineAmountTypes: 'NoTax',
          LineItems: priced.lines,
          SubTotal: priced.SubTotal,
          TotalTax: priced.TotalTax,
          Total: priced.Total,
          UpdatedDateUTC: msDate(ctx.now),
          CurrencyCode: str(input['CurrencyCode']) ?? 'NZD',
          CurrencyRate: 1,
          Reference: str(input['Reference']) ?? '',
          RemainingCredit: priced.Total,
          AppliedAmount: 0,
          Allocations: [],
          Payments: [],
          HasAttachments: false,
        },
      };
    },
    queryFilters: {
      IDs: (record, values) => values.includes(record.id.toLowerCase()),
      Statuses: (record, values) => values.includes(String(record.data['Status']).toLowerCase()),
    },
  };
}

export const prepaymentsResource = createCreditResource({
  collection: 'Prepayments',
  idField: 'PrepaymentID',
  label: 'Prepayment',
  types: ['RECEIVE-PREPAYMENT', 'SPEND-PREPAYMENT'],
  webhookCategory: 'PREPAYMENT',
  defaultAccountCode: '200',
});

export const overpaymentsResource = createCreditResource({
  collection: 'Overpayments',
  idField: 'OverpaymentID',
  label: 'Overpayment',
  types: ['RECEIVE-OVERPAYMENT', 'SPEND-OVERPAYMENT'],
  webhookCategory: 'OVERPAYMENT',
  defaultAccountCode: '200',
});

