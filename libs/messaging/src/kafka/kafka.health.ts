import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { KafkaConnection } from './kafka-connection.service';

@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly kafka: KafkaConnection,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'kafka') {
    const indicator = this.health.check(key);
    return (await this.kafka.ping()) ? indicator.up() : indicator.down({ message: 'the Kafka cluster does not answer' });
  }
}
