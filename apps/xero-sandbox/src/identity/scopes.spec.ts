import { scopeAllows, scopesFor } from './scopes';

describe('Xero scopes', () => {
  const granular = ['offline_access', 'accounting.contacts', 'accounting.invoices', 'accounting.payments.read', 'accounting.settings.read', 'projects'];

  it('lets a granular token write invoices, quotes and purchase orders, and read its payments and settings', () => {
    expect(scopeAllows(granular, 'PUT', '/api.xro/2.0/Invoices')).toBe(true);
    expect(scopeAllows(granular, 'POST', '/api.xro/2.0/Quotes/abc')).toBe(true);
    expect(scopeAllows(granular, 'PUT', '/api.xro/2.0/PurchaseOrders?summarizeErrors=false')).toBe(true);
    expect(scopeAllows(granular, 'GET', '/api.xro/2.0/Payments')).toBe(true);
    expect(scopeAllows(granular, 'GET', '/api.xro/2.0/Organisation')).toBe(true);
    expect(scopeAllows(granular, 'POST', '/projects.xro/2.0/Projects')).toBe(true);
  });

  it('allows only GET with a .read scope', () => {
    expect(scopeAllows(granular, 'PUT', '/api.xro/2.0/Payments')).toBe(false);
    expect(scopeAllows(granular, 'POST', '/api.xro/2.0/TaxRates')).toBe(false);
    expect(scopeAllows(['projects.read'], 'GET', '/projects.xro/2.0/Projects')).toBe(true);
    expect(scopeAllows(['projects.read'], 'PATCH', '/projects.xro/2.0/Projects/p1')).toBe(false);
  });

  it("still honours the broad accounting.transactions that older apps have, but not for contacts or settings", () => {
    expect(scopeAllows(['accounting.transactions'], 'PUT', '/api.xro/2.0/Invoices')).toBe(true);
    expect(scopeAllows(['accounting.transactions.read'], 'GET', '/api.xro/2.0/Payments')).toBe(true);
    expect(scopeAllows(['accounting.transactions'], 'GET', '/api.xro/2.0/Contacts')).toBe(false);
    expect(scopeAllows(['accounting.transactions'], 'GET', '/api.xro/2.0/Accounts')).toBe(false);
  });

  it('refuses an invoice call to a token with contacts only, and names what would do', () => {
    expect(scopeAllows(['accounting.contacts'], 'GET', '/api.xro/2.0/Invoices')).toBe(false);
    expect(scopesFor('GET', '/api.xro/2.0/Invoices')).toEqual(['accounting.invoices', 'accounting.invoices.read', 'accounting.transactions', 'accounting.transactions.read']);
    expect(scopesFor('PUT', '/api.xro/2.0/Invoices')).toEqual(['accounting.invoices', 'accounting.transactions']);
  });

  it('leaves paths it does not know to the router', () => {
    expect(scopesFor('GET', '/api.xro/2.0/Journals')).toBeUndefined();
    expect(scopesFor('GET', '/connections')).toBeUndefined();
  });
});
