import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ConnectionsConfig } from '../config/connections.config';
import { XeroConnectionRepository } from '../connections/xero-connection.repository';
import { OAuthStateStore } from '../oauth/oauth-state.store';
import { AccessTokenService } from '../tokens/access-token.service';

const DAY_MS = 86_400_000;
/** The first pass waits this long after start (or one interval, if shorter), out of the way of start-up. */
const FIRST_PASS_DELAY_MS = 60_000;

/**
 * Keeps idle connections alive: a refresh token unused for 60 days is gone, so every
 * KEEP_ALIVE_INTERVAL_MS the connections whose refresh token is older than KEEP_ALIVE_AFTER_DAYS are
 * refreshed. Every replica runs it; the per-connection lock and re-read make a second refresh a no-op.
 */
@Injectable()
export class KeepAliveService implements OnApplicationBootstrap {
  private readonly logger = new Logger(KeepAliveService.name);
  private running = false;

  constructor(
    private readonly scheduler: SchedulerRegistry,
    private readonly connections: XeroConnectionRepository,
    private readonly tokens: AccessTokenService,
    private readonly states: OAuthStateStore,
    @Inject(ConnectionsConfig) private readonly config: ConnectionsConfig,
  ) {}

  onApplicationBootstrap(): void {
    // A first pass soon after start, so replicas that restart more often than the interval still run it.
    const first = setTimeout(() => void this.runOnce(), Math.min(FIRST_PASS_DELAY_MS, this.config.KEEP_ALIVE_INTERVAL_MS));
    first.unref();
    this.scheduler.addTimeout('xero-keep-alive-first-pass', first);
    const interval = setInterval(() => void this.runOnce(), this.config.KEEP_ALIVE_INTERVAL_MS);
    interval.unref();
    this.scheduler.addInterval('xero-keep-alive', interval);
  }

  /** One pass; returns how many connections were refreshed and how many failed. */
  async runOnce(): Promise<{ refreshed: number; failed: number }> {
    if (this.running) return { refreshed: 0, failed: 0 };
    this.running = true;
    let refreshed = 0;
    let failed = 0;
    try {
      const due = await this.connections.dueForKeepAlive(new Date(Date.now() - this.config.KEEP_ALIVE_AFTER_DAYS * DAY_MS), this.config.KEEP_ALIVE_BATCH_SIZE);
      for (const companyId of due) {
        try {
          if (await this.tokens.keepAlive(companyId)) refreshed += 1;
        } catch (error) {
          failed += 1;
          this.logger.warn(`keep-alive refresh for company ${companyId} failed: ${(error as { code?: string }).code ?? ''} ${(error as Error).message}`);
        }
      }
      await this.states.purgeOld();
      if (refreshed > 0 || failed > 0) this.logger.log(`keep-alive: ${refreshed} connection(s) refreshed, ${failed} failed`);
    } catch (error) {
      this.logger.error(`keep-alive pass failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
    return { refreshed, failed };
  }
}
