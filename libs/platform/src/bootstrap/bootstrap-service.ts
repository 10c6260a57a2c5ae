import { EventConsumer, kafkaTransportOptions } from '@ledgerline/messaging';
import { INestApplication, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Matches } from 'class-validator';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { ConfigError } from '../config/config.exception';
import { loadConfig } from '../config/load-config';
import { kafkaSecurityFor, ServiceConfig } from '../config/service-config';
import { dataSourceOptions, ensureSchema } from '../database/database';
import { setUpApiDocs } from '../http/api-docs';
import { installProcessGuards } from '../lifecycle/process-guards';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { startTracing, stopTracing } from '../tracing/tracing';
import { PlatformModule } from './platform.module';
import { DEFAULT_API_VERSION, ServiceDefinition } from './service-definition';

/** Builds the service's Nest application (HTTP, its API description at /docs, and the Kafka consumer), not yet listening. */
export async function createServiceApp<C extends ServiceConfig>(definition: ServiceDefinition<C>, config: C): Promise<INestApplication> {
  const kafkaSecurity = kafkaSecurityFor(config);
  @Module({ imports: [PlatformModule.forService(definition, config, kafkaSecurity), ...definition.modules] })
  class ServiceRootModule {}

  const app = await NestFactory.create(ServiceRootModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  definition.configureHttp?.(app, config);
  setUpApiDocs(app, { title: `Ledgerline ${definition.name}`, version: definition.version ?? DEFAULT_API_VERSION, description: definition.description });
  if (definition.consumes.length > 0) {
    app.connectMicroservice(
      kafkaTransportOptions({ brokers: config.KAFKA_BROKERS.split(','), service: definition.name, groupSuffix: config.KAFKA_GROUP_SUFFIX, security: kafkaSecurity }),
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

function logLine(service: string, level: 'info' | 'error' | 'fatal', message: string): void {
  process.stderr.write(`${JSON.stringify({ level, time: Date.now(), service, msg: message })}\n`);
}

function fatal(service: string, message: string): never {
  logLine(service, 'fatal', message);
  process.exit(1);
}

/**
 * Stops a service in the order that loses nothing: readiness turns red; the consumers take no new
 * message and leave their group (a message waiting out a database outage is left uncommitted, for
 * redelivery); then Nest's hooks run, where the service's own loops stop and hand back their leases,
 * the outbox relay sends what is left, and the database and Kafka connections close.
 */
export async function drainServiceApp(app: INestApplication): Promise<void> {
  app.get(ShutdownState).begin();
  app.get(EventConsumer).stop();
  // Marked terminated first, as Nest's own dispose does: closing a connected microservice otherwise runs
  // the whole application's shutdown hooks, before the consumers have even stopped.
  await Promise.all(
    app.getMicroservices().map(async (microservice: INestMicroservice & { setIsTerminated?: (terminated: boolean) => void }) => {
      microservice.setIsTerminated?.(true);
      await microservice.close();
    }),
  );
  await app.close();
}

/** SIGTERM and SIGINT drain the service; if that takes longer than the grace period, the process ends anyway. */
function exitOnSignals(app: INestApplication, service: string, graceMs: number): void {
  let draining = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (draining) return;
    draining = true;
    logLine(service, 'info', `${signal}: draining (at most ${graceMs} ms)`);
    const timer = setTimeout(() => fatal(service, `did not drain within ${graceMs} ms; exiting`), graceMs);
    timer.unref();
    drainServiceApp(app)
      .then(() => stopTracing())
      .then(
        () => {
          logLine(service, 'info', `${service} drained; exiting`);
          process.exit(0);
        },
        (error: unknown) => fatal(service, `draining failed: ${(error as Error).stack ?? String(error)}`),
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** The whole life of a service process: validated config, then HTTP + Kafka in one process. */
export async function bootstrapService<C extends ServiceConfig>(definition: ServiceDefinition<C>): Promise<void> {
  let config: C;
  try {
    config = loadConfig(definition.config);
  } catch (error) {
    fatal(definition.name, error instanceof ConfigError ? error.message : String(error));
  }
  installProcessGuards((level, message) => logLine(definition.name, level, message));
  startTracing(definition.name);
  try {
    const app = await createServiceApp(definition, config);
    exitOnSignals(app, definition.name, config.SHUTDOWN_GRACE_MS);
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
