import { Topics } from '@ledgerline/contracts';
import { EventConsumer, kafkaTopic } from '@ledgerline/messaging';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ConsoleConfig } from '../config/console.config';
import { SyncsStore } from './syncs.store';

/** The owning services' word on a manual sync: into its progress log, renewing or releasing its lock. */
@Controller()
export class SyncProgressConsumer {
  private readonly logger = new Logger(SyncProgressConsumer.name);

  constructor(
    private readonly events: EventConsumer,
    private readonly store: SyncsStore,
    private readonly config: ConsoleConfig,
  ) {}

  @EventPattern(kafkaTopic(Topics.SyncProgress))
  async progressed(@Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(Topics.SyncProgress, context, async (event, tx) => {
      const outcome = await this.store.progress(tx, event.companyId, event.payload, this.config.CONSOLE_SYNC_LEASE_MS);
      if (outcome === 'unknown') this.logger.warn(`sync.progress for ${event.payload.syncId} of ${event.companyId}: no such sync was started here; ignored`);
      if (outcome === 'ended') this.logger.warn(`sync.progress (${event.payload.state}) for ${event.payload.syncId} of ${event.companyId} arrived after the sync ended; ignored`);
    });
  }
}
