import { Inject, Injectable } from '@nestjs/common';
import { ClockService } from '../clock/clock.service';
import { RateLimitProblem, SandboxException } from '../common/sandbox.exception';
import { SANDBOX_CONFIG } from '../config/config.tokens';
import { RateLimitSettings, SandboxConfig } from '../config/sandbox-config';
import { Persistent, restoreSettings, SettingsSnapshot } from '../state/persistent';
import { RollingWindow } from './rolling-window';

interface TenantUsage {
  minute: RollingWindow;
  day: RollingWindow;
  inFlight: number;
}

export interface Admission {
  headers: Record<string, string>;
  release(): void;
}

/** The limits as set; usage (calls in the windows, calls in flight) starts afresh after a restart. */
export type LimitsState = SettingsSnapshot<RateLimitSettings>;

/**
 * Xero's rate limits: per organisation a minute limit, a daily limit and a cap on calls in flight,
 * plus an app-wide minute limit across all organisations. Rolling windows on the sandbox clock.
 * Rejected calls do not count against the windows.
 */
@Injectable()
export class LimitsService implements Persistent<LimitsState> {
  private settings: RateLimitSettings;
  private tenants = new Map<string, TenantUsage>();
  private apps = new Map<string, RollingWindow>();

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly clock: ClockService,
  ) {
    this.settings = { ...config.limits };
  }

  current(): RateLimitSettings {
    return { ...this.settings };
  }

  configure(update: Partial<RateLimitSettings>): RateLimitSettings {
    for (const [key, value] of Object.entries(update)) {
      if (!(key in this.settings)) throw SandboxException.testApi(`Unknown limit "${key}"`);
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw SandboxException.testApi(`${key} must be a positive whole number`);
    }
    this.settings = { ...this.settings, ...update };
    for (const usage of this.tenants.values()) {
      usage.minute.setWindow(this.settings.minuteWindowMs);
      usage.day.setWindow(this.settings.dayWindowMs);
    }
    for (const app of this.apps.values()) app.setWindow(this.settings.minuteWindowMs);
    return this.current();
  }

  admit(tenantId: string, clientId: string): Admission {
    const now = this.clock.now();
    const usage = this.usage(tenantId);
    const app = this.app(clientId);
    const s = this.settings;
    const remaining = () => ({
      'X-DayLimit-Remaining': String(Math.max(0, s.perDay - usage.day.count(now))),
      'X-MinLimit-Remaining': String(Math.max(0, s.perMinute - usage.minute.count(now))),
      'X-AppMinLimit-Remaining': String(Math.max(0, s.appPerMinute - app.count(now))),
    });
    const reject = (problem: RateLimitProblem, waitMs: number): never => {
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new SandboxException('RATE_LIMITED', `Rate limit exceeded: ${problem}`, {
        rateLimitProblem: problem,
        retryAfterSeconds,
        headers: { ...remaining(), 'Retry-After': String(retryAfterSeconds), 'X-Rate-Limit-Problem': problem },
      });
    };
    if (usage.day.count(now) >= s.perDay) reject('daily', usage.day.msUntilSlotFrees(now));
    if (usage.minute.count(now) >= s.perMinute) reject('minute', usage.minute.msUntilSlotFrees(now));
    if (app.count(now) >= s.appPerMinute) reject('appminute', app.msUntilSlotFrees(now));
    if (usage.inFlight >= s.concurrent) reject('concurrent', 1000);
    usage.day.add(now);
    usage.minute.add(now);
    app.add(now);
    usage.inFlight++;
    let released = false;
    return {
      headers: remaining(),
      release: () => {
        if (released) return;
        released = true;
        usage.inFlight--;
      },
    };
  }

  usageOf(tenantId: string): { minute: number; day: number; inFlight: number } {
    const usage = this.usage(tenantId);
    const now = this.clock.now();
    return { minute: usage.minute.count(now), day: usage.day.count(now), inFlight: usage.inFlight };
  }

  reset(): void {
    this.settings = { ...this.config.limits };
    this.tenants.clear();
    this.apps.clear();
  }

  snapshot(): LimitsState {
    return { settings: this.current(), defaults: { ...this.config.limits } };
  }

  restore(state: LimitsState): void {
    this.reset();
    this.settings = restoreSettings(this.config.limits, state);
  }

  private usage(tenantId: string): TenantUsage {
    let usage = this.tenants.get(tenantId);
    if (!usage) {
      usage = { minute: new RollingWindow(this.settings.minuteWindowMs), day: new RollingWindow(this.settings.dayWindowMs), inFlight: 0 };
      this.tenants.set(tenantId, usage);
    }
    return usage;
  }

  private app(clientId: string): RollingWindow {
    let app = this.apps.get(clientId);
    if (!app) {
      app = new RollingWindow(this.settings.minuteWindowMs);
      this.apps.set(clientId, app);
    }
    return app;
  }
}
