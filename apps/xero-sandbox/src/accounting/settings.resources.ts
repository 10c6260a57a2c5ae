import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { msDate } from '../common/xero-json';
import { XeroRecord } from '../store/resource-store.service';
import { ResourceDefinition, sameText, str, WriteContext } from './resource-definition';

interface SimpleSpec {
  collection: string;
  idField: string;
  /** Natural key: unique, and what a create-or-update matches on when no id is sent. */
  key: string;
  required: string[];
  unique: string[];
  fields: string[];
  validate?: (data: XeroRecord, errors: string[]) => void;
  derive?: (data: XeroRecord, ctx: WriteContext) => void;
  generateId?: (ctx: WriteContext) => string;
  sortBy: string;
}

/** Organisation settings (accounts, items, tax rates, tracking categories) share one shape of rules. */
function simpleResource(spec: SimpleSpec): ResourceDefinition {
  return {
    collection: spec.collection,
    idField: spec.idField,
    sort: (a, b) => String(a.data[spec.sortBy]).localeCompare(String(b.data[spec.sortBy])),
    findExisting(input, ctx) {
      const id = str(input[spec.idField]);
      if (id) return ctx.find(spec.collection, id);
      const key = str(input[spec.key]);
      return key ? ctx.records(spec.collection).find((r) => sameText(r.data[spec.key], key)) : undefined;
    },
    write(input, existing, ctx) {
      const id = str(input[spec.idField]);
      if (id && !existing) return { ok: false, errors: [`${spec.idField} '${id}' could not be found.`], echo: input };
      const data: XeroRecord = { ...(existing?.data ?? {}) };
      for (const field of spec.fields) if (input[field] !== undefined) data[field] = input[field];
      const errors: string[] = [];
      for (const field of spec.required) if (!str(data[field])) errors.push(`${field} must be specified.`);
      for (const field of spec.unique) {
        const value = str(data[field]);
        if (value && ctx.records(spec.collection).some((r) => r.id !== existing?.id && sameText(r.data[field], value))) {
          errors.push(`Please enter a unique ${field}.`);
        }
      }
      spec.validate?.(data, errors);
      if (errors.length > 0) return { ok: false, errors, echo: input };
      data[spec.idField] = existing?.id ?? spec.generateId?.(ctx) ?? randomUUID();
      data['Status'] ??= 'ACTIVE';
      spec.derive?.(data, ctx);
      data['UpdatedDateUTC'] = msDate(ctx.now);
      return { ok: true, data };
    },
    queryFilters: { IDs: (record, values) => values.includes(record.id.toLowerCase()) },
  };
}

const ACCOUNT_TYPES = ['BANK', 'CURRENT', 'CURRLIAB', 'DEPRECIATN', 'DIRECTCOSTS', 'EQUITY', 'EXPENSE', 'FIXED', 'INVENTORY', 'LIABILITY', 'NONCURRENT', 'OTHERINCOME', 'OVERHEADS', 'PREPAYMENT', 'REVENUE', 'SALES', 'TERMLIAB'];
const CLASS_OF: Record<string, string> = { BANK: 'ASSET', CURRENT: 'ASSET', FIXED: 'ASSET', INVENTORY: 'ASSET', NONCURRENT: 'ASSET', PREPAYMENT: 'ASSET', CURRLIAB: 'LIABILITY', LIABILITY: 'LIABILITY', TERMLIAB: 'LIABILITY', EQUITY: 'EQUITY', REVENUE: 'REVENUE', SALES: 'REVENUE', OTHERINCOME: 'REVENUE' };

export const accountsResource = simpleResource({
  collection: 'Accounts',
  idField: 'AccountID',
  key: 'Code',
  required: ['Code', 'Name', 'Type'],
  unique: ['Code', 'Name'],
  fields: ['Code', 'Name', 'Type', 'BankAccountNumber', 'Status', 'Description', 'BankAccountType', 'CurrencyCode', 'TaxType', 'EnablePaymentsToAccount', 'ShowInExpenseClaims', 'ReportingCode'],
  validate(data, errors) {
    if (data['Type'] !== undefined && !ACCOUNT_TYPES.includes(String(data['Type']))) errors.push(`Account Type '${data['Type']}' is not valid.`);
    if (data['Type'] === 'BANK' && !str(data['BankAccountNumber'])) errors.push('Bank Account Number must be specified for a bank account.');
  },
  derive(data) {
    data['TaxType'] ??= 'NONE';
    data['Class'] = CLASS_OF[String(data['Type'])] ?? 'EXPENSE';
    data['EnablePaymentsToAccount'] ??= false;
    data['ShowInExpenseClaims'] ??= false;
    data['HasAttachments'] = false;
    if (data['Type'] === 'BANK') data['BankAccountType'] ??= 'BANK';
  },
  sortBy: 'Code',
});

export const itemsResource = simpleResource({
  collection: 'Items',
  idField: 'ItemID',
  key: 'Code',
  required: ['Code'],
  unique: ['Code'],
  fields: ['Code', 'Name', 'Description', 'PurchaseDescription', 'PurchaseDetails', 'SalesDetails', 'IsTrackedAsInventory', 'IsSold', 'IsPurchased'],
  derive(data) {
    data['IsSold'] ??= data['SalesDetails'] !== undefined;
    data['IsPurchased'] ??= data['PurchaseDetails'] !== undefined;
    data['IsTrackedAsInventory'] ??= false;
    data['Name'] ??= data['Code'];
  },
  sortBy: 'Code',
});

export const taxRatesResource = simpleResource({
  collection: 'TaxRates',
  idField: 'TaxType',
  key: 'Name',
  required: ['Name'],
  unique: ['Name'],
  fields: ['Name', 'TaxComponents', 'Status', 'ReportTaxType', 'EffectiveRate', 'DisplayTaxRate', 'CanApplyToAssets', 'CanApplyToEquity', 'CanApplyToExpenses', 'CanApplyToLiabilities', 'CanApplyToRevenue'],
  validate(data, errors) {
    const components = data['TaxComponents'];
    if (components !== undefined && !Array.isArray(components)) errors.push('TaxComponents must be a list.');
  },
  // Custom rates get TAX001, TAX002, ... as Xero numbers them; their rate is the sum of their components.
  generateId: (ctx) => `TAX${String(ctx.nextNumber('TaxRates')).padStart(3, '0')}`,
  derive(data) {
    const components = (data['TaxComponents'] as XeroRecord[] | undefined) ?? [{ Name: String(data['Name']), Rate: data['EffectiveRate'] ?? 0, IsCompound: false, IsNonRecoverable: false }];
    data['TaxComponents'] = components;
    const rate = components.reduce((sum, c) => sum.plus(new Decimal((c['Rate'] as number | undefined) ?? 0)), new Decimal(0)).toNumber();
    data['EffectiveRate'] = rate;
    data['DisplayTaxRate'] = rate;
  },
  sortBy: 'Name',
});

export const trackingCategoriesResource = simpleResource({
  collection: 'TrackingCategories',
  idField: 'TrackingCategoryID',
  key: 'Name',
  required: ['Name'],
  unique: ['Name'],
  fields: ['Name', 'Status', 'Options'],
  derive(data) {
    data['Options'] = ((data['Options'] as XeroRecord[] | undefined) ?? []).map((option) => ({
      TrackingOptionID: str(option['TrackingOptionID']) ?? randomUUID(),
      Name: option['Name'],
      Status: option['Status'] ?? 'ACTIVE',
    }));
  },
  sortBy: 'Name',
});
