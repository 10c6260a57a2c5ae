import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { CallsService } from '../calls/calls.service';
import { ClockService } from '../clock/clock.service';
import { SANDBOX_CONFIG } from '../config/config.tokens';
import { SandboxConfig } from '../config/sandbox-config';
import { FaultsService } from '../faults/faults.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ClientsService } from '../identity/clients.service';
import { JwtSigner } from '../identity/jwt-signer.service';
import { OAuthService } from '../identity/oauth.service';
import { LimitsService } from '../limits/limits.service';
import { OrganisationsService } from '../organisations/organisations.service';
import { ResourceStore } from '../store/resource-store.service';
import { WebhooksService } from '../webhooks/webhooks.service';
import { Persistent } from './persistent';
import { StateFile } from './state-file';
import { StateFileException } from './state-file.exception';

/** At most one write per this long while changes keep coming. */
export const SAVE_DELAY_MS = 500;

/**
 * The sandbox's state as a whole: the one place that snapshots, restores and resets every component,
 * and, when SANDBOX_STATE_FILE is set, loads the file at boot and keeps it up to date.
 *
 * Every change to durable state happens while a request is handled, so rather than have each component
 * report its writes, `changed()` is called after every request; the write follows at most
 * SAVE_DELAY_MS later and is skipped when the state is what the file already holds. A graceful
 * shutdown writes once more. Not kept: call log and counters, fault rules, rate-limit usage and calls
 * in flight, the webhook delivery log.
 */
@Injectable()
export class SandboxStateService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SandboxStateService.name);
  /** Restored in this order: organisations come after the store, as a new default organisation writes records. */
  private readonly sections: Record<string, Persistent<unknown>>;
  /** Set only once the file has been read (or found absent), so a file that failed to load is never overwritten. */
  private file?: StateFile;
  private saveTimer?: NodeJS.Timeout;

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly clock: ClockService,
    signer: JwtSigner,
    private readonly store: ResourceStore,
    private readonly organisations: OrganisationsService,
    private readonly clients: ClientsService,
    private readonly oauth: OAuthService,
    private readonly limits: LimitsService,
    private readonly idempotency: IdempotencyService,
    private readonly webhooks: WebhooksService,
    private readonly faults: FaultsService,
    private readonly calls: CallsService,
  ) {
    this.sections = { clock, signingKey: signer, store, organisations, clients, identity: oauth, limits, idempotency, webhooks };
  }

  onModuleInit(): void {
    if (!this.config.stateFile) return;
    const file = new StateFile(this.config.stateFile);
    const saved = file.read();
    if (saved) this.restore(file.path, saved);
    this.file = file;
    // On a first boot this creates the file, so a path that cannot be written fails now, not later.
    this.saveNow();
    this.logger.log({ msg: saved ? 'sandbox state restored' : 'sandbox state file created', file: file.path, organisations: this.organisations.list().length });
  }

  snapshot(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.sections).map(([name, section]) => [name, section.snapshot()]));
  }

  /** Something may have changed: write the state file soon (no-op without one). */
  changed(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      try {
        this.saveNow();
      } catch (error) {
        // The sandbox keeps serving; the next change tries again.
        this.logger.error({ msg: 'sandbox state not saved', error: (error as Error).message });
      }
    }, SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  /** Back to the boot state: data, tokens, clients, settings, clock, faults and counters (and the state file). */
  reset(): void {
    for (const component of [this.webhooks, this.store, this.clock, this.organisations, this.oauth, this.clients, this.limits, this.faults, this.idempotency, this.calls]) {
      component.reset();
    }
    this.saveNow();
  }

  onApplicationShutdown(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.saveNow();
  }

  private saveNow(): void {
    this.file?.write(this.snapshot());
  }

  private restore(file: string, saved: Record<string, unknown>): void {
    const unknown = Object.keys(saved).filter((name) => !(name in this.sections));
    if (unknown.length > 0) throw new StateFileException('CORRUPT', file, `has unknown section(s): ${unknown.join(', ')}`);
    for (const [name, section] of Object.entries(this.sections)) {
      if (!(name in saved)) throw new StateFileException('CORRUPT', file, `has no "${name}" section`);
      try {
        section.restore(saved[name]);
      } catch (error) {
        throw new StateFileException('CORRUPT', file, `has a "${name}" section that cannot be restored: ${(error as Error).message}`);
      }
    }
  }
}
