import { Module } from '@nestjs/common';
import { VaultModule } from '../vault/vault.module';
import { OAuthStateStore } from './oauth-state.store';
import { XeroIdentityClient } from './xero-identity.client';
import { XeroOAuthStrategy } from './xero-oauth.strategy';

/** Xero's OAuth2 flow (passport-oauth2 with state + PKCE in Postgres) and its identity endpoints. */
@Module({
  imports: [VaultModule],
  providers: [OAuthStateStore, XeroOAuthStrategy, XeroIdentityClient],
  exports: [OAuthStateStore, XeroOAuthStrategy, XeroIdentityClient],
})
export class OAuthModule {}
