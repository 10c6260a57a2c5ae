import { Injectable } from '@nestjs/common';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomUUID, sign, verify } from 'node:crypto';
import { Persistent } from '../state/persistent';

export interface SigningKeyState {
  keyId: string;
  /** PKCS#8 PEM. */
  privateKey: string;
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * RS256 signing for access and id tokens. A fresh key pair per process, unless a state file brings
 * back the previous one: tokens issued before a restart must still verify after it.
 */
@Injectable()
export class JwtSigner implements Persistent<SigningKeyState> {
  private privateKey: KeyObject;
  private publicKey: KeyObject;
  private kid = randomUUID().replace(/-/g, '').toUpperCase();

  constructor() {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKey = createPublicKey(this.privateKey);
  }

  get keyId(): string {
    return this.kid;
  }

  snapshot(): SigningKeyState {
    return { keyId: this.kid, privateKey: this.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
  }

  restore(state: SigningKeyState): void {
    if (typeof state.keyId !== 'string' || state.keyId === '') throw new TypeError('keyId must be a string');
    this.privateKey = createPrivateKey(state.privateKey);
    this.publicKey = createPublicKey(this.privateKey);
    this.kid = state.keyId;
  }

  sign(claims: Record<string, unknown>): string {
    const header = { alg: 'RS256', kid: this.keyId, typ: 'JWT', x5t: this.keyId };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    return `${signingInput}.${base64url(sign('sha256', Buffer.from(signingInput), this.privateKey))}`;
  }

  /** Returns the claims of a token this process signed, or undefined for anything else. */
  verify(token: string): Record<string, unknown> | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const valid = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), this.publicKey, Buffer.from(parts[2], 'base64url'));
    if (!valid) return undefined;
    try {
      return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ ...jwk, kid: this.keyId, use: 'sig', alg: 'RS256', x5t: this.keyId }] };
  }

  /** OIDC at_hash: left half of SHA-256 of the access token, base64url. */
  static accessTokenHash(accessToken: string): string {
    const digest = createHash('sha256').update(accessToken).digest();
    return base64url(digest.subarray(0, digest.length / 2));
  }
}
