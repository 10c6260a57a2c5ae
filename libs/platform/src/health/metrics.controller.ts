import { Controller, Get, Header } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';

let collecting = false;

/** Prometheus metrics: the process's own plus whatever the service registers. */
@Controller('metrics')
export class MetricsController {
  constructor() {
    if (!collecting) {
      collectDefaultMetrics();
      collecting = true;
    }
  }

  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
