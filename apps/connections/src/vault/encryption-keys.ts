/** A key id: short, and free of the ciphertext's `:` separator. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const KEY_BYTES = 32;

export interface EncryptionKeyring {
  keys: ReadonlyMap<string, Buffer>;
  activeKeyId: string;
}

/**
 * Parses TOKEN_ENCRYPTION_KEYS (`id1:base64key,id2:base64key`) and TOKEN_ENCRYPTION_ACTIVE_KEY.
 * Problems name the variable and the key id, never a key's value.
 */
export function parseKeyring(rawKeys: string | undefined, activeKeyId: string | undefined): EncryptionKeyring {
  const keys = parseKeys(rawKeys);
  if (!activeKeyId || activeKeyId.trim() === '') {
    throw new Error('TOKEN_ENCRYPTION_ACTIVE_KEY is required: the id of the key in TOKEN_ENCRYPTION_KEYS that encrypts new tokens');
  }
  if (!keys.has(activeKeyId.trim())) {
    throw new Error(`TOKEN_ENCRYPTION_ACTIVE_KEY "${activeKeyId.trim()}" is not one of the key ids in TOKEN_ENCRYPTION_KEYS`);
  }
  return { keys, activeKeyId: activeKeyId.trim() };
}

/** Parses TOKEN_ENCRYPTION_KEYS alone. */
export function parseKeys(rawKeys: string | undefined): Map<string, Buffer> {
  if (!rawKeys || rawKeys.trim() === '') {
    throw new Error('TOKEN_ENCRYPTION_KEYS is required: id:base64key[,id:base64key...] with 32-byte keys');
  }
  const keys = new Map<string, Buffer>();
  for (const [index, entry] of rawKeys.split(',').entries()) {
    const separator = entry.indexOf(':');
    const id = (separator < 0 ? entry : entry.slice(0, separator)).trim();
    const encoded = separator < 0 ? '' : entry.slice(separator + 1).trim();
    if (!KEY_ID_PATTERN.test(id)) {
      throw new Error(`TOKEN_ENCRYPTION_KEYS entry ${index + 1} must start with a key id of 1-32 letters, digits, _ or -, then ":"`);
    }
    if (keys.has(id)) throw new Error(`TOKEN_ENCRYPTION_KEYS names key "${id}" twice`);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new Error(`TOKEN_ENCRYPTION_KEYS key "${id}" must be base64`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) {
      throw new Error(`TOKEN_ENCRYPTION_KEYS key "${id}" must decode to ${KEY_BYTES} bytes (it decodes to ${key.length})`);
    }
    keys.set(id, key);
  }
  return keys;
}
