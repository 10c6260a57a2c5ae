/**
 * What a new sandbox organisation starts with: a New Zealand GST chart of accounts (a trimmed
 * version of Xero's demo company), its tax rates, a few items and one tracking category.
 */
export const DEFAULT_TAX_RATES = [
  { Name: '15% GST on Expenses', TaxType: 'INPUT2', EffectiveRate: 15, CanApplyToAssets: true, CanApplyToEquity: true, CanApplyToExpenses: true, CanApplyToLiabilities: true, CanApplyToRevenue: false },
  { Name: '15% GST on Income', TaxType: 'OUTPUT2', EffectiveRate: 15, CanApplyToAssets: true, CanApplyToEquity: true, CanApplyToExpenses: false, CanApplyToLiabilities: true, CanApplyToRevenue: true },
  { Name: 'GST on Imports', TaxType: 'GSTONIMPORTS', EffectiveRate: 0, CanApplyToAssets: false, CanApplyToEquity: false, CanApplyToExpenses: false, CanApplyToLiabilities: true, CanApplyToRevenue: false },
  { Name: 'No GST', TaxType: 'NONE', EffectiveRate: 0, CanApplyToAssets: true, CanApplyToEquity: true, CanApplyToExpenses: true, CanApplyToLiabilities: true, CanApplyToRevenue: true },
  { Name: 'Zero Rated', TaxType: 'ZERORATED', EffectiveRate: 0, CanApplyToAssets: true, CanApplyToEquity: true, CanApplyToExpenses: true, CanApplyToLiabilities: true, CanApplyToRevenue: true },
];

export const DEFAULT_ACCOUNTS: { Code: string; Name: string; Type: string; TaxType: string; Class: string; EnablePaymentsToAccount?: boolean; BankAccountNumber?: string }[] = [
  { Code: '090', Name: 'Business Bank Account', Type: 'BANK', TaxType: 'NONE', Class: 'ASSET', BankAccountNumber: '0102030405060708' },
  { Code: '091', Name: 'Business Savings Account', Type: 'BANK', TaxType: 'NONE', Class: 'ASSET', BankAccountNumber: '0102030405060709' },
  { Code: '200', Name: 'Sales', Type: 'REVENUE', TaxType: 'OUTPUT2', Class: 'REVENUE' },
  { Code: '260', Name: 'Other Revenue', Type: 'REVENUE', TaxType: 'OUTPUT2', Class: 'REVENUE' },
  { Code: '270', Name: 'Interest Income', Type: 'REVENUE', TaxType: 'NONE', Class: 'REVENUE' },
  { Code: '310', Name: 'Cost of Goods Sold', Type: 'DIRECTCOSTS', TaxType: 'INPUT2', Class: 'EXPENSE' },
  { Code: '400', Name: 'Advertising', Type: 'EXPENSE', TaxType: 'INPUT2', Class: 'EXPENSE' },
  { Code: '429', Name: 'General Expenses', Type: 'EXPENSE', TaxType: 'INPUT2', Class: 'EXPENSE' },
  { Code: '610', Name: 'Accounts Receivable', Type: 'CURRENT', TaxType: 'NONE', Class: 'ASSET' },
  { Code: '800', Name: 'Accounts Payable', Type: 'CURRLIAB', TaxType: 'NONE', Class: 'LIABILITY' },
  { Code: '820', Name: 'GST', Type: 'CURRLIAB', TaxType: 'NONE', Class: 'LIABILITY' },
  { Code: '880', Name: 'Owner A Drawings', Type: 'EQUITY', TaxType: 'NONE', Class: 'EQUITY', EnablePaymentsToAccount: true },
];

export const DEFAULT_ITEMS = [
  { Code: 'LABOUR', Name: 'Labour (hourly)', Description: 'Labour, per hour', SalesDetails: { UnitPrice: 95, AccountCode: '200', TaxType: 'OUTPUT2' } },
  { Code: 'CALLOUT', Name: 'Call-out fee', Description: 'Call-out fee', SalesDetails: { UnitPrice: 65, AccountCode: '200', TaxType: 'OUTPUT2' } },
  { Code: 'PARTS', Name: 'Parts', Description: 'Parts and materials', PurchaseDetails: { UnitPrice: 20, AccountCode: '310', TaxType: 'INPUT2' }, SalesDetails: { UnitPrice: 30, AccountCode: '200', TaxType: 'OUTPUT2' } },
];

export const DEFAULT_TRACKING = { Name: 'Region', Options: ['North', 'South'] };
