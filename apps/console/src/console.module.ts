import { AuthModule } from '@ledgerline/auth';
import { httpStatusByCode } from '@ledgerline/platform';
import { Module } from '@nestjs/common';
import { ActivityConsumer } from './activity/activity.consumer';
import { ActivityRepository } from './activity/activity.repository';
import { ConsoleConfig } from './config/console.config';
import { ConsoleController } from './console-api/console.controller';
import { CONSOLE_HTTP_STATUS } from './console-api/console.exception';
import { ConsoleViews } from './console-api/console-views.service';
import { DevSignInController } from './console-api/dev-sign-in.controller';
import { DeadLetterTopics } from './errors/dead-letter-topics.service';
import { DeadLettersConsumer } from './errors/dead-letters.consumer';
import { ErrorsConsumer } from './errors/errors.consumer';
import { ErrorsRepository } from './errors/errors.repository';
import { OverviewConsumer } from './overview/overview.consumer';
import { OverviewRepository } from './overview/overview.repository';
import { SyncProgressConsumer } from './syncs/sync-progress.consumer';
import { SYNCS_HTTP_STATUS } from './syncs/syncs.exception';
import { SyncsController } from './syncs/syncs.controller';
import { SyncsService } from './syncs/syncs.service';
import { SyncsStore } from './syncs/syncs.store';

/** The operator surface: views built from events, manual syncs with their lock and progress, and the REST that serves them. */
@Module({
  imports: [AuthModule.forService(ConsoleConfig)],
  controllers: [
    ActivityConsumer,
    ErrorsConsumer,
    DeadLettersConsumer,
    OverviewConsumer,
    SyncProgressConsumer,
    ConsoleController,
    SyncsController,
    DevSignInController,
  ],
  providers: [
    ActivityRepository,
    ErrorsRepository,
    OverviewRepository,
    DeadLetterTopics,
    ConsoleViews,
    SyncsStore,
    SyncsService,
    httpStatusByCode({ ...CONSOLE_HTTP_STATUS, ...SYNCS_HTTP_STATUS }),
  ],
})
export class ConsoleModule {}
