import { Topic } from '@ledgerline/contracts';
import { Type } from '@nestjs/common';
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
}
