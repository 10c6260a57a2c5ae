import { KafkaSecurity, MessagingModule } from '@ledgerline/messaging';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { kafkaSecurityFor, ServiceConfig } from '../config/service-config';
import { dataSourceOptions, ensureSchema } from '../database/database';
import { HealthController } from '../health/health.controller';
import { HttpErrorFilter } from '../http/http-error.filter';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { MetricsController } from '../health/metrics.controller';
import { jsonLoggerModule } from '../logging/logger.module';
import { ServiceDefinition } from './service-definition';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

/** JSON logs, the database, Kafka messaging, health and metrics, configured for one service. */
@Global()
@Module({})
export class PlatformModule {
  static forService<C extends ServiceConfig>(definition: ServiceDefinition<C>, config: C, kafkaSecurity: KafkaSecurity = kafkaSecurityFor(config)): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        jsonLoggerModule(definition.name, config.LOG_LEVEL),
        TypeOrmModule.forRootAsync({
          useFactory: async () => {
            await ensureSchema(config.DATABASE_URL, definition.database.schema);
            return dataSourceOptions(config.DATABASE_URL, definition.database, config.MIGRATIONS_RUN, config.DATABASE_POOL_SIZE);
          },
        }),
        MessagingModule.forRoot({
          service: definition.name,
          brokers: config.KAFKA_BROKERS.split(','),
          security: kafkaSecurity,
          createTopics: config.KAFKA_CREATE_TOPICS,
          schema: definition.database.schema,
          consumes: definition.consumes,
          produces: definition.produces,
          maxAttempts: config.EVENT_MAX_ATTEMPTS,
          retryBaseMs: config.EVENT_RETRY_BASE_MS,
          groupSuffix: config.KAFKA_GROUP_SUFFIX,
        }),
        TerminusModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        ShutdownState,
        { provide: definition.config, useValue: config },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
      exports: [SERVICE_CONFIG, definition.config, ShutdownState],
    };
  }
}
