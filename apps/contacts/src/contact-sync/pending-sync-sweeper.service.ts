import { EventPublisher } from '@ledgerline/messaging';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ContactSyncService } from './contact-sync.service';
import { ContactSyncSettings } from './contact-sync.settings';

/** Requests answered per transaction, so one sweep never holds many rows at once. */
const BATCH_SIZE = 100;

/**
 * Every CONTACT_SYNC_SWEEP_INTERVAL_MS, answers the parked sync requests whose client has not arrived within
 * CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS. Every replica runs it: each answer and the removal of its request commit
 * together, and rows another replica holds are skipped, so each request is answered once.
 */
@Injectable()
export class PendingSyncSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PendingSyncSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly contactSync: ContactSyncService,
    private readonly publisher: EventPublisher,
    private readonly settings: ContactSyncSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweepOnce(), this.settings.CONTACT_SYNC_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  /** Lets a sweep under way commit before the database goes away. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep (or the one already under way); returns how many requests it answered. */
  sweepOnce(): Promise<number> {
    this.running ??= this.sweep().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweep(): Promise<number> {
    const waitMs = this.settings.CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS;
    let answered = 0;
    try {
      let batch: number;
      do {
        batch = await this.dataSource.transaction((tx) => this.contactSync.answerExpired(tx, waitMs, BATCH_SIZE));
        answered += batch;
        if (batch > 0) this.publisher.flush();
      } while (batch === BATCH_SIZE);
    } catch (error) {
      this.logger.error(`answering sync requests whose client did not arrive failed (retried next sweep): ${(error as Error).message}`);
    }
    return answered;
  }
}
