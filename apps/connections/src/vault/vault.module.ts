import { Module } from '@nestjs/common';
import { ConnectionsConfig } from '../config/connections.config';
import { parseKeyring } from './encryption-keys';
import { TokenReencryptionService } from './token-reencryption.service';
import { TokenVault } from './token-vault.service';

/** The token vault, keyed from TOKEN_ENCRYPTION_KEYS / TOKEN_ENCRYPTION_ACTIVE_KEY, and its re-encrypt pass. */
@Module({
  providers: [
    {
      provide: TokenVault,
      inject: [ConnectionsConfig],
      useFactory: (config: ConnectionsConfig) => new TokenVault(parseKeyring(config.TOKEN_ENCRYPTION_KEYS, config.TOKEN_ENCRYPTION_ACTIVE_KEY)),
    },
    TokenReencryptionService,
  ],
  exports: [TokenVault, TokenReencryptionService],
})
export class VaultModule {}
