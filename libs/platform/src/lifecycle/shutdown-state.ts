import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

/** Whether the service has begun to shut down; readiness turns red at once, so no new traffic is sent to it. */
@Injectable()
export class ShutdownState {
  private since?: number;

  constructor(private readonly health: HealthIndicatorService) {}

  begin(): void {
    this.since ??= Date.now();
  }

  get draining(): boolean {
    return this.since !== undefined;
  }

  isHealthy(key = 'shutdown') {
    const indicator = this.health.check(key);
    return this.since === undefined ? indicator.up() : indicator.down({ message: 'the service is shutting down' });
  }
}
