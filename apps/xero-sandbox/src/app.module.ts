import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AccountingController } from './accounting/accounting.controller';
import { AccountingService } from './accounting/accounting.service';
import { CallsService } from './calls/calls.service';
import { ClockService } from './clock/clock.service';
import { SANDBOX_CONFIG } from './config/config.tokens';
import { SandboxConfig } from './config/sandbox-config';
import { FaultsService } from './faults/faults.service';
import { HealthController } from './health/health.controller';
import { IdempotencyMiddleware } from './idempotency/idempotency.middleware';
import { IdempotencyService } from './idempotency/idempotency.service';
import { ClientsService } from './identity/clients.service';
import { ConnectionsController } from './identity/connections.controller';
import { IdentityController } from './identity/identity.controller';
import { JwtSigner } from './identity/jwt-signer.service';
import { OAuthService } from './identity/oauth.service';
import { ApiGatewayMiddleware } from './limits/api-gateway.middleware';
import { LimitsService } from './limits/limits.service';
import { OrganisationsService } from './organisations/organisations.service';
import { ProjectsController } from './projects/projects.controller';
import { ProjectsService } from './projects/projects.service';
import { SandboxStateService } from './state/sandbox-state.service';
import { StateChangeMiddleware } from './state/state-change.middleware';
import { ResourceStore } from './store/resource-store.service';
import { IdentityTestApiController } from './test-api/identity-test-api.controller';
import { PaymentsTestApiController } from './test-api/payments-test-api.controller';
import { ProjectsTestApiController } from './test-api/projects-test-api.controller';
import { TestApiController } from './test-api/test-api.controller';
import { WebhooksService } from './webhooks/webhooks.service';

/** Every controller that can change state; health checks are polled and change nothing. */
const STATEFUL_CONTROLLERS = [IdentityController, ConnectionsController, AccountingController, ProjectsController, TestApiController, IdentityTestApiController, PaymentsTestApiController, ProjectsTestApiController];

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: SandboxConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Tokens, client secrets and webhook keys never reach the log.
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.client_secret', 'req.body.refresh_token'],
            autoLogging: { ignore: (req) => req.url === '/health/live' },
          },
        }),
      ],
      controllers: [...STATEFUL_CONTROLLERS, HealthController],
      providers: [
        { provide: SANDBOX_CONFIG, useValue: config },
        ClockService,
        ResourceStore,
        OrganisationsService,
        ClientsService,
        JwtSigner,
        OAuthService,
        CallsService,
        LimitsService,
        FaultsService,
        IdempotencyService,
        WebhooksService,
        AccountingService,
        ProjectsService,
        SandboxStateService,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(StateChangeMiddleware).forRoutes(...STATEFUL_CONTROLLERS);
    consumer.apply(ApiGatewayMiddleware, IdempotencyMiddleware).forRoutes(AccountingController, ProjectsController);
  }
}
