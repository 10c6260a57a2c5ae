import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { collectDefaultMetrics, register } from 'prom-client';

let collecting = false;

/** Prometheus metrics: the process's own plus whatever the service registers. */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor() {
    if (!collecting) {
      collectDefaultMetrics();
      collecting = true;
    }
  }

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics (no auth; keep it inside the cluster)' })
  @ApiProduces(register.contentType)
  @ApiOkResponse({ description: 'The metrics in Prometheus text format', schema: { type: 'string' } })
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
