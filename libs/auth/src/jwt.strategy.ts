import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { unauthenticated } from './auth.exception';
import { AuthUser, authUserFromClaims } from './auth-user';
import { JWT_AUTH_OPTIONS, JwtAuthOptions, verificationKey } from './jwt-auth.options';

export const JWT_STRATEGY = 'ledgerline-jwt';

/** Verifies the bearer token (signature, algorithm, issuer, audience, expiry) and reads the caller from it. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(@Inject(JWT_AUTH_OPTIONS) options: JwtAuthOptions) {
    const { key, algorithms } = verificationKey(options);
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: key,
      algorithms,
      issuer: options.issuer,
      audience: options.audience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: options.clockToleranceSeconds ?? 5 },
    });
  }

  validate(claims: unknown): AuthUser {
    const user = authUserFromClaims(claims);
    if (!user) throw unauthenticated('The bearer token lacks a valid sub, companyId or role');
    return user;
  }
}
