import { createHmac, timingSafeEqual } from 'node:crypto';

/** A base64 HMAC-SHA256 digest is always 44 characters: 43 of the alphabet and one '='. */
const SIGNATURE_SHAPE = /^[A-Za-z0-9+/]{43}=$/;

/** Xero's webhook signature: HMAC-SHA256 of the raw request body with the webhook key, base64. */
export function signWebhookBody(rawBody: Buffer | string, key: string): string {
  return createHmac('sha256', key).update(rawBody).digest('base64');
}

/**
 * True only for the exact signature of these bytes. The shape is checked first because base64 decoding
 * is lenient (it skips characters outside the alphabet), then the digests are compared in constant time.
 */
export function isValidWebhookSignature(rawBody: Buffer, key: string, signature: string | undefined): boolean {
  if (typeof signature !== 'string' || !SIGNATURE_SHAPE.test(signature)) return false;
  const expected = createHmac('sha256', key).update(rawBody).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
