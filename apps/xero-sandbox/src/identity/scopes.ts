/**
 * Xero's OAuth scopes and which API calls each one allows.
 *
 * Apps created from 2 March 2026 get only the granular accounting scopes (`accounting.invoices`,
 * `accounting.payments`, …); older apps may still use the broad `accounting.transactions` until
 * September 2027, so the sandbox honours both. Each scope has a `.read` variant that allows GET only.
 */

/** The scopes a token may carry (what discovery lists as `scopes_supported`). */
export const SUPPORTED_SCOPES = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'accounting.contacts',
  'accounting.contacts.read',
  'accounting.invoices',
  'accounting.invoices.read',
  'accounting.payments',
  'accounting.payments.read',
  'accounting.banktransactions',
  'accounting.banktransactions.read',
  'accounting.manualjournals',
  'accounting.manualjournals.read',
  'accounting.settings',
  'accounting.settings.read',
  'accounting.attachments',
  'accounting.attachments.read',
  'accounting.transactions',
  'accounting.transactions.read',
  'projects',
  'projects.read',
] as const;

/** What the sandbox grants when a test asks for tokens without naming scopes: a new app's granular set. */
export const DEFAULT_GRANTED_SCOPES = 'openid profile email offline_access accounting.contacts accounting.invoices accounting.payments accounting.settings projects';

/** The scopes (any one of them) that open each accounting resource. */
const ACCOUNTING_RESOURCE_SCOPES: Record<string, readonly string[]> = {
  contacts: ['accounting.contacts'],
  invoices: ['accounting.invoices', 'accounting.transactions'],
  quotes: ['accounting.invoices', 'accounting.transactions'],
  purchaseorders: ['accounting.invoices', 'accounting.transactions'],
  items: ['accounting.invoices', 'accounting.settings', 'accounting.transactions'],
  payments: ['accounting.payments', 'accounting.transactions'],
  accounts: ['accounting.settings'],
  taxrates: ['accounting.settings'],
  trackingcategories: ['accounting.settings'],
  organisation: ['accounting.settings'],
};

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The scopes of which a token needs one for this call, or undefined when the path is not a
 * tenant-scoped API resource the sandbox knows (its own 404 answers those).
 */
export function scopesFor(method: string, path: string): string[] | undefined {
  const [, api, version, resource] = path.split('?')[0].split('/');
  let families: readonly string[] | undefined;
  if (api === 'projects.xro' && version === '2.0') families = ['projects'];
  else if (api === 'api.xro' && version === '2.0') families = ACCOUNTING_RESOURCE_SCOPES[(resource ?? '').toLowerCase()];
  if (!families) return undefined;
  const read = READ_METHODS.has(method.toUpperCase());
  return families.flatMap((family) => (read ? [family, `${family}.read`] : [family]));
}

/** Whether a token carrying `granted` may make this call. */
export function scopeAllows(granted: readonly string[], method: string, path: string): boolean {
  const needed = scopesFor(method, path);
  return needed === undefined || needed.some((scope) => granted.includes(scope));
}
