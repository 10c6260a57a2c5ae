import { JwtService } from '@nestjs/jwt';

export type Role = 'super_admin' | 'practice_admin' | 'accountant' | 'client';

export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
}

/** A bearer token as the gateway would issue it, for calling the REST APIs in tests. */
export function bearerToken(settings: JwtSettings, claims: { sub: string; companyId: string; role: Role }, expiresInSeconds = 900): string {
  const token = new JwtService().sign(claims, {
    secret: settings.secret,
    issuer: settings.issuer,
    audience: settings.audience,
    expiresIn: expiresInSeconds,
    algorithm: 'HS256',
  });
  return `Bearer ${token}`;
}
