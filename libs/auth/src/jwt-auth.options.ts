/** How bearer tokens are verified: a shared HS256 secret or an issuer's public key (RS256/ES256). */
export interface JwtAuthOptions {
  /** HS256 shared secret (at least 32 characters). */
  secret?: string;
  /** PEM public key of the token issuer; asymmetric algorithms only, so a public key is never used as an HMAC secret. */
  publicKey?: string;
  issuer: string;
  audience: string;
  /** Tolerated clock difference, in seconds. */
  clockToleranceSeconds?: number;
}

export const JWT_AUTH_OPTIONS = Symbol('JWT_AUTH_OPTIONS');

export const MIN_JWT_SECRET_LENGTH = 32;

/** The key and algorithms to verify with; throws when the options cannot verify anything safely. */
export function verificationKey(options: JwtAuthOptions): { key: string; algorithms: ('HS256' | 'RS256' | 'ES256')[] } {
  if (options.publicKey && options.secret) throw new Error('JWT auth takes a secret or a public key, not both');
  if (options.publicKey) return { key: options.publicKey, algorithms: ['RS256', 'ES256'] };
  if (options.secret && options.secret.length >= MIN_JWT_SECRET_LENGTH) return { key: options.secret, algorithms: ['HS256'] };
  throw new Error(`JWT auth needs a secret of at least ${MIN_JWT_SECRET_LENGTH} characters or a public key`);
}
