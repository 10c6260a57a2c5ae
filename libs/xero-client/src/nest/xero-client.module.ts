import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationShutdown, Provider, Type } from '@nestjs/common';
import type { Pool } from 'pg';
import { XeroCallerSettings, xeroClientSettings } from '../config/xero-caller-config';
import { XeroClientConfig, XeroClientConfigInput } from '../config/xero-client.config';
import { XeroClientHandle, createXeroClient } from '../client/create-xero-client';
import { XeroClientLogger } from '../client/xero-call-executor';
import { XeroClientService } from '../client/xero-client.service';
import { ACCESS_TOKEN_PROVIDER, AccessTokenProvider } from '../tokens/access-token-provider';

export interface XeroClientModuleOptions {
  config: XeroClientConfig | XeroClientConfigInput;
  /** A pool to share for the budget tables; otherwise one is opened on DATABASE_URL. */
  pool?: Pool;
}

export interface XeroClientModuleAsyncOptions {
  imports?: Array<Type<unknown> | DynamicModule>;
  inject?: Array<string | symbol | Type<unknown>>;
  useFactory: (...args: never[]) => XeroClientModuleOptions | Promise<XeroClientModuleOptions>;
  /** Replaces the HTTP token provider (bound to ACCESS_TOKEN_PROVIDER). */
  accessTokenProvider?: Type<AccessTokenProvider>;
}

export const XERO_CLIENT_MODULE_OPTIONS = Symbol('XERO_CLIENT_MODULE_OPTIONS');
const XERO_CLIENT_HANDLE = Symbol('XERO_CLIENT_HANDLE');

@Injectable()
class XeroClientLifecycle implements OnApplicationShutdown {
  constructor(@Inject(XERO_CLIENT_HANDLE) private readonly handle: XeroClientHandle) {}

  async onApplicationShutdown(): Promise<void> {
    await this.handle.close();
  }
}

const nestLogger = (): XeroClientLogger => {
  const logger = new Logger('XeroClient');
  return { warn: (message, context) => logger.warn(context ? { msg: message, ...context } : message) };
};

/**
 * Provides `XeroClientService` and the `ACCESS_TOKEN_PROVIDER` port. Without an explicit provider the
 * client asks the connections service for tokens.
 */
@Module({})
export class XeroClientModule {
  static forRoot(options: XeroClientModuleOptions & { accessTokenProvider?: Type<AccessTokenProvider>; global?: boolean }): DynamicModule {
    return XeroClientModule.build(
      { provide: XERO_CLIENT_MODULE_OPTIONS, useValue: options },
      options.accessTokenProvider,
      [],
      options.global ?? true,
    );
  }

  /** The client for a service whose config class includes `WithXeroCaller` (and INTERNAL_API_TOKEN, DATABASE_URL). */
  static forService(configClass: Type<XeroCallerSettings>): DynamicModule {
    return XeroClientModule.forRootAsync({
      inject: [configClass],
      useFactory: (config: XeroCallerSettings) => ({ config: xeroClientSettings(config) }),
    });
  }

  static forRootAsync(options: XeroClientModuleAsyncOptions & { global?: boolean }): DynamicModule {
    return XeroClientModule.build(
      { provide: XERO_CLIENT_MODULE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
      options.accessTokenProvider,
      options.imports ?? [],
      options.global ?? true,
    );
  }

  private static build(
    optionsProvider: Provider,
    tokenProviderClass: Type<AccessTokenProvider> | undefined,
    imports: Array<Type<unknown> | DynamicModule>,
    global: boolean,
  ): DynamicModule {
    const providers: Provider[] = [optionsProvider];
    if (tokenProviderClass) providers.push({ provide: ACCESS_TOKEN_PROVIDER, useClass: tokenProviderClass });
    providers.push(
      {
        provide: XERO_CLIENT_HANDLE,
        inject: tokenProviderClass ? [XERO_CLIENT_MODULE_OPTIONS, ACCESS_TOKEN_PROVIDER] : [XERO_CLIENT_MODULE_OPTIONS],
        useFactory: (options: XeroClientModuleOptions, accessTokenProvider?: AccessTokenProvider) =>
          createXeroClient({ config: options.config, pool: options.pool, accessTokenProvider, logger: nestLogger() }),
      },
      { provide: XeroClientService, inject: [XERO_CLIENT_HANDLE], useFactory: (handle: XeroClientHandle) => handle.client },
      XeroClientLifecycle,
    );
    return {
      module: XeroClientModule,
      global,
      imports,
      providers,
      exports: [XeroClientService, ...(tokenProviderClass ? [ACCESS_TOKEN_PROVIDER] : [])],
    };
  }
}
