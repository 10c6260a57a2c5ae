import { Topic } from '@ledgerline/contracts';
import { INestApplication, Type } from '@nestjs/common';
import { DatabaseDefinition } from '../database/database';
import { ServiceConfig } from '../config/service-config';

/** Everything the platform needs to run a service; each app declares one in src/service.ts. */
export interface ServiceDefinition<C extends ServiceConfig = ServiceConfig> {
  name: string;
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
