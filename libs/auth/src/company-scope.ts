import { COMPANY_ID_PATTERN } from '@ledgerline/contracts';
import { notFound } from './auth.exception';
import { AuthUser } from './auth-user';
import { Role } from './roles';

/**
 * The company a request acts on. A super admin may name any company (falling back to their own);
 * everyone else acts on their own company only, and naming another one looks exactly like asking
 * for something that does not exist (404), so one company cannot learn about another.
 */
export function resolveCompanyScope(user: AuthUser, requestedCompanyId?: string | null): string {
  const requested = requestedCompanyId === undefined || requestedCompanyId === null || requestedCompanyId === '' ? undefined : requestedCompanyId;
  if (requested === undefined) return user.companyId;
  if (!COMPANY_ID_PATTERN.test(requested)) throw notFound();
  if (user.role === Role.SuperAdmin || requested === user.companyId) return requested;
  throw notFound();
}

/** Whether `user` may act on `companyId` (the same rule as resolveCompanyScope, as a predicate). */
export function canAccessCompany(user: AuthUser, companyId: string): boolean {
  return user.role === Role.SuperAdmin || user.companyId === companyId;
}
