import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { unauthenticated } from './auth.exception';
import { AuthUser } from './auth-user';
import { JWT_STRATEGY } from './jwt.strategy';

/** Requires a valid bearer JWT; the caller lands on `request.user`. */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false): TUser {
    // passport-jwt's reasons (expired, bad signature, wrong audience…) stay out of the answer.
    if (error || !user) throw unauthenticated();
    return user;
  }
}
