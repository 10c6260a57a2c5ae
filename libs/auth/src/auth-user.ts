import { COMPANY_ID_PATTERN } from '@ledgerline/contracts';
import { isRole, Role } from './roles';

/** Who is calling, as established from a verified JWT. */
export interface AuthUser {
  /** The user's id (the token's `sub`). */
  userId: string;
  /** The company the user belongs to. */
  companyId: string;
  role: Role;
}

/**
 * Turns verified JWT claims into an AuthUser, or undefined when a claim is missing or malformed.
 * The signature, issuer, audience and expiry are checked before this by the JWT strategy.
 */
export function authUserFromClaims(claims: unknown): AuthUser | undefined {
  if (typeof claims !== 'object' || claims === null) return undefined;
  const { sub, companyId, role } = claims as Record<string, unknown>;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255) return undefined;
  if (typeof companyId !== 'string' || !COMPANY_ID_PATTERN.test(companyId)) return undefined;
  if (!isRole(role)) return undefined;
  return { userId: sub, companyId, role };
}
