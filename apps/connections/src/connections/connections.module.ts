import { AuthModule } from '@ledgerline/auth';
import { Module } from '@nestjs/common';
import { codedExceptionFilter } from '@ledgerline/platform';
import { ConnectionsConfig } from '../config/connections.config';
import { HTTP_STATUS_OF } from '../http/http-status';
import { OAuthModule } from '../oauth/oauth.module';
import { TokensModule } from '../tokens/tokens.module';
import { VaultModule } from '../vault/vault.module';
import { ConnectionStoreModule } from './connection-store.module';
import { ConnectionsController } from './connections.controller';
import { ConnectionsService } from './connections.service';
import { OrganisationSharingController } from './organisation-sharing.controller';
import { OrganisationSharingService } from './organisation-sharing.service';
import { ConnectionsMetrics } from './connections-metrics';

/** The REST API for API consumers: connect, choose the organisation, status, disconnect. */
@Module({
  imports: [
    AuthModule.forService(ConnectionsConfig),
    ConnectionStoreModule,
    OAuthModule,
    TokensModule,
    VaultModule,
  ],
  controllers: [ConnectionsController, OrganisationSharingController],
  providers: [ConnectionsService, OrganisationSharingService, ConnectionsMetrics, ...codedExceptionFilter(HTTP_STATUS_OF)],
})
export class ConnectionsModule {}
