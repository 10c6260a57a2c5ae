import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EncryptionKeyring, KEY_ID_PATTERN } from './encryption-keys';
import { VaultErrorCode, VaultException } from './vault.exception';

const FORMAT_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * AES-256-GCM for secrets at rest. Every ciphertext reads `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url
 * parts), so keys can rotate: new secrets use the active key, old ones open with the key they name.
 * The AAD binds a ciphertext to its owner (e.g. connection id + company id): copied onto another row it
 * no longer opens.
 */
export class TokenVault {
  constructor(private readonly keyring: EncryptionKeyring) {}

  get activeKeyId(): string {
    return this.keyring.activeKeyId;
  }

  seal(plaintext: string, aad: string): string {
    const keyId = this.keyring.activeKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(keyId), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT_VERSION, keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
  }

  open(sealed: string, aad: string): string {
    const { keyId, iv, tag, ciphertext } = TokenVault.parse(sealed);
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new VaultException(VaultErrorCode.Tampered, `a secret sealed with key "${keyId}" failed authentication`);
    }
  }

  /** The key id a ciphertext was sealed with. */
  static keyIdOf(sealed: string): string {
    return TokenVault.parse(sealed).keyId;
  }

  /** Whether a ciphertext should be rewritten with the active key. */
  needsRotation(sealed: string): boolean {
    return TokenVault.keyIdOf(sealed) !== this.keyring.activeKeyId;
  }

  /** Opens with the old key and seals again with the active one (same AAD). */
  reseal(sealed: string, aad: string): string {
    return this.seal(this.open(sealed, aad), aad);
  }

  private key(keyId: string): Buffer {
    const key = this.keyring.keys.get(keyId);
    if (!key) throw new VaultException(VaultErrorCode.UnknownKey, `no encryption key "${keyId}" is configured in TOKEN_ENCRYPTION_KEYS`);
    return key;
  }

  private static parse(sealed: string): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
    const parts = typeof sealed === 'string' ? sealed.split(':') : [];
    const [version, keyId, iv, tag, ciphertext] = parts;
    if (parts.length !== 5 || version !== FORMAT_VERSION || !KEY_ID_PATTERN.test(keyId) || ![iv, tag, ciphertext].every((p) => BASE64URL.test(p))) {
      throw new VaultException(VaultErrorCode.Malformed, 'a stored secret is not in the v1:<keyId>:<iv>:<tag>:<ciphertext> format');
    }
    const parsed = { keyId, iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url') };
    if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) {
      throw new VaultException(VaultErrorCode.Malformed, 'a stored secret has a wrong-sized IV or tag');
    }
    return parsed;
  }
}
