import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ConnectionStoreModule } from '../connections/connection-store.module';
import { OAuthModule } from '../oauth/oauth.module';
import { TokensModule } from '../tokens/tokens.module';
import { KeepAliveService } from './keep-alive.service';

@Module({
  imports: [ScheduleModule.forRoot(), ConnectionStoreModule, OAuthModule, TokensModule],
  providers: [KeepAliveService],
})
export class KeepAliveModule {}
