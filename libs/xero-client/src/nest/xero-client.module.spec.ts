import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { XeroClientService } from '../client/xero-client.service';
import { XeroClientConfigError } from '../config/xero-client.config';
import { ACCESS_TOKEN_PROVIDER, AccessTokenProvider, XeroAccessToken } from '../tokens/access-token-provider';
import { XeroClientModule } from './xero-client.module';

@Injectable()
class StaticTokens implements AccessTokenProvider {
  async getAccessToken(): Promise<XeroAccessToken> {
    return { accessToken: 'a', tenantId: 't', expiresAt: new Date(Date.now() + 60_000) };
  }
}

const CONFIG_TOKEN = 'TEST_SETTINGS';

@Module({ providers: [{ provide: CONFIG_TOKEN, useValue: { apiBaseUrl: 'http://127.0.0.1:4999' } }], exports: [CONFIG_TOKEN] })
class SettingsModule {}

describe('XeroClientModule', () => {
  it('forRootAsync provides XeroClientService and the token port', async () => {
    @Module({
      imports: [
        XeroClientModule.forRootAsync({
          imports: [SettingsModule],
          inject: [CONFIG_TOKEN],
          useFactory: (settings: { apiBaseUrl: string }) => ({ config: settings }),
          accessTokenProvider: StaticTokens,
        }),
      ],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    try {
      expect(app.get(XeroClientService)).toBeInstanceOf(XeroClientService);
      expect(app.get(ACCESS_TOKEN_PROVIDER)).toBeInstanceOf(StaticTokens);
    } finally {
      await app.close();
    }
  });

  it('forRoot with the HTTP token provider fails at boot when its settings are missing', async () => {
    @Module({ imports: [XeroClientModule.forRoot({ config: {} })] })
    class AppModule {}
    await expect(NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false })).rejects.toBeInstanceOf(XeroClientConfigError);
  });
});
