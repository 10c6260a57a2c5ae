import { createHash } from 'node:crypto';
import { ACCESS_TOKEN_FINGERPRINT_PATTERN, accessTokenFingerprint } from './token-fingerprint';

describe('accessTokenFingerprint', () => {
  it('is the unpadded base64url SHA-256 of the token', () => {
    // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad
    expect(accessTokenFingerprint('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    const token = 'eyJhbGciOiJSUzI1NiJ9.payload.signature';
    expect(accessTokenFingerprint(token)).toBe(createHash('sha256').update(token).digest('base64url'));
  });

  it('is URL-safe, fixed-length, distinct per token, and does not contain the token', () => {
    const a = accessTokenFingerprint('token-a');
    const b = accessTokenFingerprint('token-b');
    expect(a).toMatch(ACCESS_TOKEN_FINGERPRINT_PATTERN);
    expect(b).toMatch(ACCESS_TOKEN_FINGERPRINT_PATTERN);
    expect(encodeURIComponent(a)).toBe(a);
    expect(a).not.toBe(b);
    expect(a).not.toContain('token-a');
    expect(accessTokenFingerprint('token-a')).toBe(a);
  });

  it('the pattern refuses other shapes', () => {
    for (const value of ['', 'short', `${'a'.repeat(43)}=`, 'a'.repeat(44), `${'a'.repeat(42)}+`, `${'a'.repeat(42)}/`]) {
      expect(ACCESS_TOKEN_FINGERPRINT_PATTERN.test(value)).toBe(false);
    }
  });
});
