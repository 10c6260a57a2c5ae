import { CodedException } from '@ledgerline/platform';

export const VaultErrorCode = {
  /** The ciphertext is not in the vault's format. */
  Malformed: 'VAULT_CIPHERTEXT_MALFORMED',
  /** The ciphertext names a key this process does not have (rotated out too early?). */
  UnknownKey: 'VAULT_KEY_UNKNOWN',
  /** Authentication failed: the ciphertext, its key or its context (AAD) is not the one it was sealed with. */
  Tampered: 'VAULT_CIPHERTEXT_INVALID',
} as const;

export type VaultErrorCode = (typeof VaultErrorCode)[keyof typeof VaultErrorCode];

/** A secret could not be opened. Messages never contain the ciphertext or the plaintext. */
export class VaultException extends CodedException<VaultErrorCode> {}
