import { kafkaTransportOptions } from '@ledgerline/messaging';
import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Matches } from 'class-validator';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { ConfigError } from '../config/config.exception';
import { loadConfig } from '../config/load-config';
import { ServiceConfig } from '../config/service-config';
import { dataSourceOptions, ensureSchema } from '../database/database';
import { PlatformModule } from './platform.module';
import { ServiceDefinition } from './service-definition';

/** Builds the service's Nest application (HTTP and the Kafka consumer), not yet listening. */
export async function createServiceApp<C extends ServiceConfig>(definition: ServiceDefinition<C>, config: C): Promise<INestApplication> {
  @Module({ imports: [PlatformModule.forService(definition, config), ...definition.modules] })
  class ServiceRootModule {}

  const app = await NestFactory.create(ServiceRootModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  definition.configureHttp?.(app, config);
  if (definition.consumes.length > 0) {
    app.connectMicroservice(
      kafkaTransportOptions({ brokers: config.KAFKA_BROKERS.split(','), service: definition.name, groupSuffix: config.KAFKA_GROUP_SUFFIX }),
      { inheritAppConfig: true },
    );
  }
  return app;
}

/** Starts consuming and listening; returns the bound HTTP address. */
export async function startServiceApp(app: INestApplication, config: ServiceConfig): Promise<string> {
  // Module init first: it creates the service's topics, which the consumers are about to subscribe to.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
  return app.getUrl();
}

/** Config problems from the service or its libraries: the message names the variable, no stack needed. */
const isConfigError = (error: unknown): error is Error => error instanceof ConfigError || (error instanceof Error && error.name.endsWith('ConfigError'));

function fatal(service: string, message: string): never {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: Date.now(), service, msg: message })}\n`);
  process.exit(1);
}

/** The whole life of a service process: validated config, then HTTP + Kafka in one process. */
export async function bootstrapService<C extends ServiceConfig>(definition: ServiceDefinition<C>): Promise<void> {
  let config: C;
  try {
    config = loadConfig(definition.config);
  } catch (error) {
    fatal(definition.name, error instanceof ConfigError ? error.message : String(error));
  }
  try {
    const app = await createServiceApp(definition, config);
    const url = await startServiceApp(app, config);
    app.get(Logger).log(`${definition.name} listening on ${url}`);
  } catch (error) {
    if (isConfigError(error)) fatal(definition.name, error.message);
    fatal(definition.name, `${definition.name} failed to start: ${(error as Error).stack ?? String(error)}`);
  }
}

/** Migrations need the database and nothing else: no Kafka, no Xero settings, no secrets. */
class MigrationConfig {
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** Runs the service's pending migrations (the `migrate` target). */
export async function migrateService<C extends ServiceConfig>(definition: ServiceDefinition<C>): Promise<void> {
  let config: MigrationConfig;
  try {
    config = loadConfig(MigrationConfig);
  } catch (error) {
    fatal(definition.name, error instanceof ConfigError ? error.message : String(error));
  }
  await ensureSchema(config.DATABASE_URL, definition.database.schema);
  const dataSource = new DataSource(dataSourceOptions(config.DATABASE_URL, definition.database));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(`${definition.name}: ${applied.length} migration(s) applied${applied.map((m) => `\n  ${m.name}`).join('')}\n`);
  } finally {
    await dataSource.destroy();
  }
}
