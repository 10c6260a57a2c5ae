import { createHash } from 'node:crypto';

/**
 * How a caller names an access token Xero refused, to the connections service: base64url SHA-256 of the
 * token. It identifies the token without revealing it, so it may travel in a URL and appear in logs.
 */
export function accessTokenFingerprint(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'utf8').digest('base64url');
}

/** The shape of an `accessTokenFingerprint` (43 base64url characters: 256 bits, unpadded). */
export const ACCESS_TOKEN_FINGERPRINT_PATTERN = /^[A-Za-z0-9_-]{43}$/;
