import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { notFound, unauthenticated } from './auth.exception';
import { AuthUser } from './auth-user';
import { resolveCompanyScope } from './company-scope';

interface RequestWithScope {
  user?: AuthUser;
  params?: Record<string, string | undefined>;
  query?: Record<string, unknown>;
}

/**
 * The company id the request acts on: the path parameter or query parameter `name` (default
 * `companyId`) when given, else the caller's own company, after the company-scoping rule
 * (super admins anywhere, everyone else their own company, another company is a 404).
 */
export const ScopedCompany = createParamDecorator((name: string | undefined, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<RequestWithScope>();
  if (!request.user) throw unauthenticated();
  const key = name ?? 'companyId';
  const fromQuery = request.query?.[key];
  // A repeated query parameter arrives as an array: no company is named that way.
  if (fromQuery !== undefined && typeof fromQuery !== 'string') throw notFound();
  const requested = request.params?.[key] ?? fromQuery;
  return resolveCompanyScope(request.user, requested);
});
