import { createHash } from 'node:crypto';
import { XeroContactFields } from './xero-contact';

/**
 * Bumped whenever `toXeroContact` changes what it sends for the same client, so every mapped contact is
 * written once more with the new mapping instead of being reported unchanged.
 */
export const CONTACT_MAPPING_VERSION = 1;

/** JSON with object keys in a fixed order, so equal content always gives equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of the fields sent to Xero: equal hashes mean Xero already has exactly this. */
export function contentHash(contact: XeroContactFields): string {
  return createHash('sha256').update(`v${CONTACT_MAPPING_VERSION}:${canonicalJson(contact)}`).digest('hex');
}
