import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden, unauthenticated } from './auth.exception';
import { AuthUser } from './auth-user';
import { Role } from './roles';
import { ROLES_KEY } from './roles.decorator';

/**
 * Lets a request through when its authenticated user has one of the handler's @Roles().
 * Runs after the JWT guard; a handler without @Roles() is refused, so forgetting the
 * decorator closes an endpoint rather than opening it.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user) throw unauthenticated();
    if (!allowed || !allowed.includes(user.role)) throw forbidden();
    return true;
  }
}
