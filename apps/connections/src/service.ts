import { Topics } from '@ledgerline/contracts';
import { ServiceDefinition } from '@ledgerline/platform';
import { ConnectionsConfig } from './config/connections.config';
import { ConnectionsModule } from './connections/connections.module';
import { SharedOrganisation } from './connections/entities/shared-organisation.entity';
import { XeroConnection } from './connections/entities/xero-connection.entity';
import { migrations } from './database/migrations';
import { KeepAliveModule } from './keep-alive/keep-alive.module';
import { OAuthState } from './oauth/oauth-state.entity';
import { TokensModule } from './tokens/tokens.module';
import { VaultModule } from './vault/vault.module';

export const connectionsService: ServiceDefinition<ConnectionsConfig> = {
  name: 'connections',
  config: ConnectionsConfig,
  database: { schema: 'connections', entities: [XeroConnection, SharedOrganisation, OAuthState], migrations },
  consumes: [],
  produces: [Topics.XeroConnectionConnected, Topics.XeroConnectionDisconnected, Topics.XeroConnectionExpired],
  modules: [VaultModule, TokensModule, ConnectionsModule, KeepAliveModule],
};
