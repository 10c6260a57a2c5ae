import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ClockService } from '../clock/clock.service';
import { SANDBOX_CONFIG } from '../config/config.tokens';
import { SandboxConfig } from '../config/sandbox-config';
import { Persistent, restoreSettings, SettingsSnapshot } from '../state/persistent';

export interface StoredResponse {
  status: number;
  body: string;
  contentType: string;
}

interface Entry {
  fingerprint: string;
  expiresAt: number;
  response?: StoredResponse;
  /** Resolves when the first request with this key has its answer (kept, or dropped if it was a 5xx or 429). */
  settled: Promise<void>;
  settle(): void;
}

/**
 * Answered keys with their expiry. A key whose first request was still running is not kept: that
 * request ends with the process, so a retry after the restart runs again, as after a 5xx.
 */
export interface IdempotencyState {
  settings: SettingsSnapshot<{ ttlMs: number }>;
  entries: { id: string; fingerprint: string; expiresAt: number; response: StoredResponse }[];
}

export type IdempotencyClaim =
  | { kind: 'new'; complete(response: StoredResponse): void }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'conflict' }
  | { kind: 'wait'; settled: Promise<void> };

/**
 * Idempotency-Key handling: keys are scoped per client app and organisation and kept for the TTL
 * (Xero: a few minutes). A repeat with the same method, path and body gets the first response; a repeat
 * with a different request is a conflict. Server errors are not kept, so a retry runs again.
 */
@Injectable()
export class IdempotencyService implements Persistent<IdempotencyState> {
  private entries = new Map<string, Entry>();
  private ttlMs: number;

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly clock: ClockService,
  ) {
    this.ttlMs = config.idempotencyTtlMs;
  }

  static fingerprint(method: string, path: string, body: Buffer | string | undefined): string {
    return createHash('sha256').update(`${method} ${path}\n`).update(body ?? '').digest('hex');
  }

  claim(scope: string, key: string, fingerprint: string): IdempotencyClaim {
    const now = this.clock.now();
    const id = `${scope}/${key}`;
    const existing = this.entries.get(id);
    if (existing && existing.expiresAt > now) {
      if (existing.fingerprint !== fingerprint) return { kind: 'conflict' };
      if (existing.response) return { kind: 'replay', response: existing.response };
      return { kind: 'wait', settled: existing.settled };
    }
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const entry: Entry = { fingerprint, expiresAt: now + this.ttlMs, settled, settle };
    this.entries.set(id, entry);
    return {
      kind: 'new',
      complete: (response) => {
        if (response.status < 500 && response.status !== 429) entry.response = response;
        else this.entries.delete(id);
        entry.settle();
      },
    };
  }

  get ttl(): number {
    return this.ttlMs;
  }

  setTtl(ms: number): void {
    this.ttlMs = ms;
  }

  reset(): void {
    this.entries.clear();
    this.ttlMs = this.config.idempotencyTtlMs;
  }

  snapshot(): IdempotencyState {
    const now = this.clock.now();
    const answered = [...this.entries].filter(([, entry]) => entry.response !== undefined && entry.expiresAt > now);
    return {
      settings: { settings: { ttlMs: this.ttlMs }, defaults: { ttlMs: this.config.idempotencyTtlMs } },
      entries: answered.map(([id, { fingerprint, expiresAt, response }]) => ({ id, fingerprint, expiresAt, response: response as StoredResponse })),
    };
  }

  restore(state: IdempotencyState): void {
    this.reset();
    this.ttlMs = restoreSettings({ ttlMs: this.config.idempotencyTtlMs }, state.settings).ttlMs;
    for (const { id, fingerprint, expiresAt, response } of state.entries) {
      this.entries.set(id, { fingerprint, expiresAt, response, settled: Promise.resolve(), settle: () => undefined });
    }
  }
}
