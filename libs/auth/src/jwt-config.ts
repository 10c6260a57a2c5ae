import { ConfigClass, pem, trim } from '@ledgerline/platform';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, ValidateBy, ValidateIf } from 'class-validator';
import { MIN_JWT_SECRET_LENGTH } from './jwt-auth.options';

const PEM_PUBLIC_KEY = /^-----BEGIN (RSA )?PUBLIC KEY-----[\s\S]+-----END (RSA )?PUBLIC KEY-----$/;

export interface JwtVerificationSettings {
  JWT_SECRET?: string;
  JWT_PUBLIC_KEY?: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}

type JwtSettings = Pick<JwtVerificationSettings, 'JWT_SECRET' | 'JWT_PUBLIC_KEY'>;

/** How a service verifies API consumers' JWTs: an HS256 secret or a public key (exactly one), issuer, audience. */
export function WithJwtVerification<TBase extends ConfigClass>(Base: TBase) {
  class JwtVerificationConfig extends Base {
    @ValidateIf((config: JwtSettings) => config.JWT_PUBLIC_KEY === undefined || config.JWT_SECRET !== undefined)
    @ValidateBy({
      name: 'jwtSecret',
      validator: {
        validate: (value: unknown, args) =>
          typeof value === 'string' && value.length >= MIN_JWT_SECRET_LENGTH && (args?.object as JwtSettings).JWT_PUBLIC_KEY === undefined,
        defaultMessage: (args) =>
          args?.value === undefined
            ? `JWT_SECRET (at least ${MIN_JWT_SECRET_LENGTH} characters) or JWT_PUBLIC_KEY is required`
            : (args.object as JwtSettings).JWT_PUBLIC_KEY !== undefined
              ? 'JWT_SECRET and JWT_PUBLIC_KEY are both set: set one of them'
              : `JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters`,
      },
    })
    JWT_SECRET?: string;

    @ValidateIf((config: JwtSettings) => config.JWT_PUBLIC_KEY !== undefined)
    @Transform(pem)
    @ValidateBy({
      name: 'jwtPublicKey',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && PEM_PUBLIC_KEY.test(value),
        defaultMessage: () => 'JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----…)',
      },
    })
    JWT_PUBLIC_KEY?: string;

    @Transform(trim)
    @IsString()
    @IsNotEmpty({ message: 'JWT_ISSUER must not be empty' })
    JWT_ISSUER = 'ledgerline-gateway';

    @Transform(trim)
    @IsString()
    @IsNotEmpty({ message: 'JWT_AUDIENCE must not be empty' })
    JWT_AUDIENCE = 'ledgerline-api';
  }
  return JwtVerificationConfig;
}
