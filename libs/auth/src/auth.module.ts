import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtVerificationSettings } from './jwt-config';
import { JWT_AUTH_OPTIONS, JwtAuthOptions } from './jwt-auth.options';
import { JwtStrategy } from './jwt.strategy';
import { RolesGuard } from './roles.guard';

export interface AuthModuleAsyncOptions {
  // Nest's own injection tokens are loosely typed.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  useFactory: (...args: never[]) => JwtAuthOptions | Promise<JwtAuthOptions>;
}

/** JWT bearer auth with roles; import it once in the app and use @Authenticated(...roles) on controllers. */
@Module({})
export class AuthModule {
  static forRoot(options: JwtAuthOptions): DynamicModule {
    return AuthModule.build({ provide: JWT_AUTH_OPTIONS, useValue: options });
  }

  /** Auth for a service whose config class includes `WithJwtVerification`. */
  static forService(configClass: Type<JwtVerificationSettings>): DynamicModule {
    return AuthModule.forRootAsync({
      inject: [configClass],
      useFactory: (config: JwtVerificationSettings) => ({
        secret: config.JWT_SECRET,
        publicKey: config.JWT_PUBLIC_KEY,
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
      }),
    });
  }

  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    return AuthModule.build({ provide: JWT_AUTH_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] });
  }

  private static build(optionsProvider: Provider): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [PassportModule],
      providers: [optionsProvider, JwtStrategy, JwtAuthGuard, RolesGuard],
      exports: [JwtAuthGuard, RolesGuard, JWT_AUTH_OPTIONS],
    };
  }
}
