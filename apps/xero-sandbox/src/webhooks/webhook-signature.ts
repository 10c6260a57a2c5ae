import { createHmac, timingSafeEqual } from 'node:crypto';

/** Xero's webhook signature: HMAC-SHA256 of the raw request body with the webhook key, base64. */
export function signWebhookBody(rawBody: string | Buffer, key: string): string {
  return createHmac('sha256', key).update(rawBody).digest('base64');
}

export function verifyWebhookSignature(rawBody: string | Buffer, key: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signWebhookBody(rawBody, key));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * A signature that is well-formed but wrong, for the intent-to-receive check: the receiver must
 * answer it with 401. Flipping bits of the real one keeps length and alphabet.
 */
export function corruptSignature(signature: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  return signature.replace(/^[A-Za-z0-9+/]/, (ch) => alphabet[(alphabet.indexOf(ch) + 1) % alphabet.length]);
}
