import { Module } from '@nestjs/common';
import { ConnectionStoreModule } from '../connections/connection-store.module';
import { OAuthModule } from '../oauth/oauth.module';
import { VaultModule } from '../vault/vault.module';
import { AccessTokenService } from './access-token.service';
import { InternalTokenGuard } from './internal-token.guard';
import { InternalTokensController } from './internal-tokens.controller';

/** Refresh (serialised per connection) and the internal access-token endpoint. */
@Module({
  imports: [ConnectionStoreModule, OAuthModule, VaultModule],
  controllers: [InternalTokensController],
  providers: [AccessTokenService, InternalTokenGuard],
  exports: [AccessTokenService],
})
export class TokensModule {}
