import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { KafkaHealthIndicator } from '@ledgerline/messaging';
import { ShutdownState } from '../lifecycle/shutdown-state';

/**
 * Liveness says the process serves, and nothing more: a database failover must not get pods killed, since
 * the services wait it out. Readiness says the database and Kafka answer and the service is not shutting down.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process serves (no auth)' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database and Kafka answer and the service is not shutting down (no auth)' })
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.shutdown.isHealthy('shutdown'),
      () => this.database.pingCheck('database', { timeout: 2_000 }),
      () => this.kafka.isHealthy('kafka'),
    ]);
  }
}
