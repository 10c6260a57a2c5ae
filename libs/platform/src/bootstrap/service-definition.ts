import { Topic } from '@ledgerline/contracts';
import { INestApplication, Type } from '@nestjs/common';
import { DatabaseDefinition } from '../database/database';
import { ServiceConfig } from '../config/service-config';

export const DEFAULT_API_VERSION = '1.0.0';

/** Everything the platform needs to run a service; each app declares one in src/service.ts. */
export interface ServiceDefinition<C extends ServiceConfig = ServiceConfig> {
  name: string;
  /** The version its API description states (default `DEFAULT_API_VERSION`). */
  version?: string;
  /** What the service does, for its API description. */
  description?: string;
  config: new () => C;
  database: DatabaseDefinition;
  consumes: Topic[];
  produces: Topic[];
  /** The service's own feature modules. */
  modules: Type<unknown>[];
  /**
   * Runs on the HTTP application before it initialises, i.e. before the JSON body parser is installed:
   * the place for a route that must read its body itself (a webhook whose signature covers the raw bytes).
   */
  configureHttp?: (app: INestApplication, config: C) => void;
}
