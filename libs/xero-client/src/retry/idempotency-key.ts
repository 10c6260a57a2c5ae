import { createHash } from 'node:crypto';

/** Xero accepts Idempotency-Key values of up to 128 characters. */
export const XERO_IDEMPOTENCY_KEY_MAX_LENGTH = 128;

/**
 * A deterministic Idempotency-Key from whatever identifies the cause of a write
 * (e.g. `idempotencyKey('invoice.requested', event.id)`), so a retry or a redelivery of the same
 * event sends the same key and Xero applies the write once. Parts are encoded unambiguously
 * (`('a:b')` and `('a', 'b')` differ) and hashed, so the key is always 67 characters.
 */
export function idempotencyKey(...parts: Array<string | number>): string {
  if (parts.length === 0) throw new TypeError('idempotencyKey needs at least one part');
  for (const part of parts) {
    if (typeof part === 'string' ? part === '' : !Number.isFinite(part)) {
      throw new TypeError('idempotencyKey parts must be non-empty strings or finite numbers');
    }
  }
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  return `ll-${digest}`;
}
