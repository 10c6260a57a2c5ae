import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { unauthenticated } from './auth.exception';
import { AuthUser } from './auth-user';

/** The authenticated caller (set by the JWT guard). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
  if (!user) throw unauthenticated();
  return user;
});
