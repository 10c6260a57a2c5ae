import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { OperationWorker } from '@ledgerline/xero-operations';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { JobSyncs } from './job-syncs.service';

/** job.assigned and job.status_changed; each handler records the change and wakes the operations worker. */
@Controller()
export class JobsConsumer {
  constructor(
    private readonly events: EventConsumer,
    private readonly jobs: JobSyncs,
    private readonly worker: OperationWorker,
  ) {}

  @EventPattern(kafkaTopic(Topics.JobAssigned))
  async jobAssigned(@Ctx() context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(Topics.JobAssigned, context, (event, tx) => this.jobs.assigned(event, tx));
    if (outcome === 'processed') this.worker.nudge();
  }

  @EventPattern(kafkaTopic(Topics.JobStatusChanged))
  async jobStatusChanged(@Ctx() context: KafkaContext): Promise<void> {
    const outcome = await this.events.consume(Topics.JobStatusChanged, context, (event, tx) => this.jobs.statusChanged(event, tx));
    if (outcome === 'processed') this.worker.nudge();
  }
}
