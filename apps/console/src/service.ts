import { Topics } from '@ledgerline/contracts';
import { ServiceDefinition } from '@ledgerline/platform';
import { ConsoleConfig } from './config/console.config';
import { ConsoleModule } from './console.module';
import { migrations } from './database/migrations';
import { FAILED_OUTCOMES } from './errors/domain/failed-outcome';
import { DEAD_LETTER_SOURCES } from './errors/dead-letters.consumer';
import { OVERVIEW_TOPICS } from './overview/overview.consumer';
import { adminPage, defaultWebDir } from './web/admin-page.middleware';
import { serviceProxy } from './web/service-proxy.middleware';

export { DEAD_LETTER_SOURCES };

export const consoleService: ServiceDefinition<ConsoleConfig> = {
  name: 'console',
  config: ConsoleConfig,
  database: { schema: 'console', entities: [], migrations },
  consumes: [Topics.SyncActivity, Topics.SyncProgress, ...(Object.keys(FAILED_OUTCOMES) as (keyof typeof FAILED_OUTCOMES)[]), ...OVERVIEW_TOPICS],
  produces: [Topics.SyncRequested],
  modules: [ConsoleModule],
  // Before Nest's body parser: forwarded calls pass their bodies on as they came.
  configureHttp: (app, config) => {
    app.use(
      '/api',
      serviceProxy(
        { connections: config.CONSOLE_CONNECTIONS_URL, contacts: config.CONSOLE_CONTACTS_URL, documents: config.CONSOLE_DOCUMENTS_URL, payments: config.CONSOLE_PAYMENTS_URL },
        config.CONSOLE_PROXY_TIMEOUT_MS,
      ),
    );
    for (const handler of adminPage(config.CONSOLE_WEB_DIR ?? defaultWebDir())) app.use(handler);
  },
};
