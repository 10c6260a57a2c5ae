import { Pool } from 'pg';
import { XeroClientConfig, XeroClientConfigInput, resolveXeroClientConfig } from '../config/xero-client.config';
import { PostgresRequestBudget } from '../budget/postgres-request-budget';
import { RequestBudget } from '../budget/request-budget';
import { AccessTokenProvider } from '../tokens/access-token-provider';
import { HttpAccessTokenProvider } from '../tokens/http-access-token-provider';
import { XeroCallExecutor, XeroClientLogger } from './xero-call-executor';
import { XeroClientService } from './xero-client.service';

export interface CreateXeroClientOptions {
  /** Validated settings (`loadXeroClientConfig()`), or programmatic ones to validate here. */
  config: XeroClientConfig | XeroClientConfigInput;
  /** Defaults to the connections service over HTTP (needs CONNECTIONS_INTERNAL_URL and INTERNAL_API_TOKEN). */
  accessTokenProvider?: AccessTokenProvider;
  /** Share the service's pool; otherwise the client opens a small one on DATABASE_URL and closes it on `close()`. */
  pool?: Pool;
  logger?: XeroClientLogger;
}

export interface XeroClientHandle {
  client: XeroClientService;
  close(): Promise<void>;
}

/** Builds a ready client without NestJS (scripts, workers, tests). */
export function createXeroClient(options: CreateXeroClientOptions): XeroClientHandle {
  const config = resolveXeroClientConfig(options.config, { requireConnections: !options.accessTokenProvider });
  const ownPool = options.pool ? undefined : new Pool({ connectionString: config.databaseUrl, max: 4, application_name: 'ledgerline-xero-client' });
  ownPool?.on('error', (error) => options.logger?.warn(`Xero budget pool error: ${error.message}`));
  const pool = options.pool ?? (ownPool as Pool);
  const budget: RequestBudget = new PostgresRequestBudget(pool, {
    schema: config.budgetSchema,
    limits: config.limits,
    logger: options.logger,
  });
  const tokens = options.accessTokenProvider ?? httpTokenProvider(config);
  const executor = new XeroCallExecutor({ config, tokens, budget, logger: options.logger });
  return {
    client: new XeroClientService(executor),
    close: async () => {
      await ownPool?.end();
    },
  };
}

function httpTokenProvider(config: XeroClientConfig): HttpAccessTokenProvider {
  const { connectionsInternalUrl, internalApiToken } = config;
  // resolveXeroClientConfig already insisted on both when no provider is given; this narrows the types.
  if (!connectionsInternalUrl || !internalApiToken) throw new Error('CONNECTIONS_INTERNAL_URL and INTERNAL_API_TOKEN are required');
  return new HttpAccessTokenProvider({ connectionsInternalUrl, internalApiToken, timeoutMs: config.tokenTimeoutMs });
}
