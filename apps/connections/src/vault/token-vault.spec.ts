import { randomBytes } from 'node:crypto';
import { parseKeyring } from './encryption-keys';
import { TokenVault } from './token-vault.service';
import { VaultErrorCode } from './vault.exception';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const vaultWith = (keys: string, active: string) => new TokenVault(parseKeyring(keys, active));
const AAD = 'connection:7d2c…|company:acme';
const SECRET = 'refresh-token-0123456789abcdef';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('TokenVault', () => {
  const vault = vaultWith(`k1:${k1}`, 'k1');

  it('opens what it sealed, and never shows the plaintext in the ciphertext', () => {
    const sealed = vault.seal(SECRET, AAD);
    expect(sealed).toMatch(/^v1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(SECRET);
    expect(sealed).not.toContain(Buffer.from(SECRET).toString('base64url'));
    expect(vault.open(sealed, AAD)).toBe(SECRET);
  });

  it('uses a fresh IV every time', () => {
    expect(vault.seal(SECRET, AAD)).not.toBe(vault.seal(SECRET, AAD));
  });

  it('seals with the active key and still opens ciphertexts of the older key (rotation)', () => {
    const old = vault.seal(SECRET, AAD);
    const rotated = vaultWith(`k1:${k1},k2:${k2}`, 'k2');
    const fresh = rotated.seal(SECRET, AAD);
    expect(TokenVault.keyIdOf(fresh)).toBe('k2');
    expect(rotated.open(old, AAD)).toBe(SECRET);
    expect(rotated.needsRotation(old)).toBe(true);
    expect(rotated.needsRotation(fresh)).toBe(false);

    const resealed = rotated.reseal(old, AAD);
    expect(TokenVault.keyIdOf(resealed)).toBe('k2');
    expect(rotated.open(resealed, AAD)).toBe(SECRET);
    // Once everything is resealed the old key can go.
    expect(vaultWith(`k2:${k2}`, 'k2').open(resealed, AAD)).toBe(SECRET);
  });

  it('refuses a ciphertext whose key is no longer configured', () => {
    const old = vault.seal(SECRET, AAD);
    expect(codeOf(() => vaultWith(`k2:${k2}`, 'k2').open(old, AAD))).toBe(VaultErrorCode.UnknownKey);
  });

  it.each([
    ['ciphertext', 4],
    ['tag', 3],
    ['iv', 2],
  ])('detects a changed %s', (_part, index) => {
    const parts = vault.seal(SECRET, AAD).split(':');
    const bytes = Buffer.from(parts[index], 'base64url');
    bytes[0] ^= 0x01;
    parts[index] = bytes.toString('base64url');
    expect(codeOf(() => vault.open(parts.join(':'), AAD))).toBe(VaultErrorCode.Tampered);
  });

  it('detects a ciphertext relabelled with another key id', () => {
    const both = vaultWith(`k1:${k1},k2:${k2}`, 'k1');
    const relabelled = both.seal(SECRET, AAD).replace(/^v1:k1:/, 'v1:k2:');
    expect(codeOf(() => both.open(relabelled, AAD))).toBe(VaultErrorCode.Tampered);
  });

  it('refuses to open a ciphertext under another AAD (e.g. copied to another connection or company)', () => {
    const sealed = vault.seal(SECRET, 'connection:1|company:acme');
    expect(codeOf(() => vault.open(sealed, 'connection:1|company:globex'))).toBe(VaultErrorCode.Tampered);
    expect(codeOf(() => vault.open(sealed, 'connection:2|company:acme'))).toBe(VaultErrorCode.Tampered);
  });

  it.each(['', 'plain-text-token', 'v2:k1:a:b:c', 'v1:k1:a:b', 'v1:k 1:AAAA:AAAA:AAAA', 'v1:k1:AAAA:AAAA:AAAA'])('refuses the malformed value %p', (value) => {
    expect(codeOf(() => vault.open(value, AAD))).toBe(VaultErrorCode.Malformed);
  });

  it('keeps the plaintext and the ciphertext out of its error messages', () => {
    const sealed = vault.seal(SECRET, AAD);
    try {
      vault.open(sealed, 'other');
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as Error).message).not.toContain(SECRET);
      expect((error as Error).message).not.toContain(sealed.split(':')[4]);
    }
  });
});

describe('parseKeyring', () => {
  it('reads several keys and the active one', () => {
    const ring = parseKeyring(` k1:${k1} , k2:${k2}`, 'k2');
    expect([...ring.keys.keys()]).toEqual(['k1', 'k2']);
    expect(ring.activeKeyId).toBe('k2');
  });

  it.each([
    [undefined, 'k1', /^TOKEN_ENCRYPTION_KEYS is required/],
    [`k1:${randomBytes(16).toString('base64')}`, 'k1', /key "k1" must decode to 32 bytes \(it decodes to 16\)/],
    ['k1:not base64!', 'k1', /key "k1" must be base64/],
    [`:${k1}`, 'k1', /entry 1 must start with a key id/],
    [`k1:${k1},k1:${k2}`, 'k1', /names key "k1" twice/],
    [`k1:${k1}`, undefined, /^TOKEN_ENCRYPTION_ACTIVE_KEY is required/],
    [`k1:${k1}`, 'k9', /TOKEN_ENCRYPTION_ACTIVE_KEY "k9" is not one of the key ids/],
  ])('names the variable for %p / %p', (keys, active, message) => {
    expect(() => parseKeyring(keys, active)).toThrow(message);
  });

  it('never echoes a key in its messages', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => parseKeyring(`k1:${short}`, 'k1')).toThrow(expect.objectContaining({ message: expect.not.stringContaining(short) }));
  });
});
