import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ActivityRepository } from './activity.repository';

/** Every attempt of the operations engine, in any service, into the company's sync log. */
@Controller()
export class ActivityConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly activity: ActivityRepository,
  ) {}

  @EventPattern(kafkaTopic(Topics.SyncActivity))
  async activityReported(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.SyncActivity, context, (event, tx) => this.activity.record(tx, event));
  }
}
