import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ClockService } from '../clock/clock.service';
import { SANDBOX_CONFIG } from '../config/config.tokens';
import { SandboxConfig } from '../config/sandbox-config';
import { Persistent, restoreSettings, SettingsSnapshot } from '../state/persistent';
import { corruptSignature, signWebhookBody } from './webhook-signature';

/** The categories the sandbox sends, each for the accounting collection its resourceUrl points into. */
export const WEBHOOK_CATEGORY_COLLECTIONS = {
  CONTACT: 'Contacts',
  INVOICE: 'Invoices',
  CREDITNOTE: 'CreditNotes',
  PAYMENT: 'Payments',
  PREPAYMENT: 'Prepayments',
  OVERPAYMENT: 'Overpayments',
} as const;

export type WebhookCategory = keyof typeof WEBHOOK_CATEGORY_COLLECTIONS;

export interface WebhookEvent {
  resourceUrl: string;
  resourceId: string;
  eventDateUtc: string;
  eventType: 'CREATE' | 'UPDATE';
  eventCategory: WebhookCategory;
  tenantId: string;
  tenantType: 'ORGANISATION';
  /** Credit note events carry the note's Type and Status (Xero's CreditNoteWebhookEvent). */
  data?: Record<string, unknown>;
}

export interface WebhookSettings {
  url: string;
  key: string;
  batchDelayMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  timeoutMs: number;
}

interface Attempt {
  at: string;
  status?: number;
  error?: string;
}

interface Delivery {
  id: number;
  firstEventSequence: number;
  lastEventSequence: number;
  events: WebhookEvent[];
  state: 'pending' | 'delivered' | 'failed';
  attempts: Attempt[];
  nextAttemptAt?: string;
}

type IntentState = { url: string; key: string; state: 'verified' | 'failed'; checkedAt: string; detail?: string };

/**
 * Settings, the intent-to-receive result, the event sequence, and events not yet delivered (queued,
 * or in a delivery still being retried): they are sent again after a restart, in a new batch, so a
 * receiver may see an event twice, as Xero's at-least-once delivery allows. The delivery log is not kept.
 */
export interface WebhooksState {
  settings: SettingsSnapshot<WebhookSettings>;
  intent?: IntentState;
  sequence: number;
  undelivered: WebhookEvent[];
}

/**
 * Signed webhook delivery as Xero does it: events are batched, the receiver must first pass the
 * intent-to-receive check (a correctly signed empty batch answered 200, a wrongly signed one 401),
 * and failed deliveries are retried with exponential backoff (retryBaseMs × 2^n) up to maxAttempts.
 * Delivery runs on real timers, not the sandbox clock, so a receiver sees real traffic.
 */
@Injectable()
export class WebhooksService implements OnModuleDestroy, Persistent<WebhooksState> {
  private readonly logger = new Logger(WebhooksService.name);
  private settings: WebhookSettings;
  private queue: WebhookEvent[] = [];
  private sequence = 0;
  private deliveries: Delivery[] = [];
  private intent?: IntentState;
  private readonly timers = new Set<NodeJS.Timeout>();
  private batchTimer?: NodeJS.Timeout;
  private baseUrl = '';
  private generation = 0;

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly clock: ClockService,
  ) {
    this.settings = { ...config.webhook };
  }

  setBaseUrl(baseUrl: string): void {
    this.baseUrl = baseUrl;
  }

  configure(update: Partial<WebhookSettings>): WebhookSettings {
    const next = { ...this.settings, ...update };
    if (next.url !== this.settings.url || next.key !== this.settings.key) this.intent = undefined;
    this.settings = next;
    return this.describeSettings();
  }

  describeSettings(): WebhookSettings {
    return { ...this.settings, key: this.settings.key ? '(set)' : '' };
  }

  notify(tenantId: string, category: WebhookCategory, resourceId: string, eventType: 'CREATE' | 'UPDATE', data?: Record<string, unknown>): void {
    // Several changes to one record in one batch collapse into one event, as Xero's do.
    const duplicate = this.queue.find((e) => e.resourceId === resourceId && e.tenantId === tenantId);
    if (duplicate) {
      duplicate.eventDateUtc = new Date(this.clock.now()).toISOString();
      if (data) duplicate.data = data;
      return;
    }
    this.queue.push({
      resourceUrl: `${this.baseUrl || 'https://api.xero.com'}/api.xro/2.0/${WEBHOOK_CATEGORY_COLLECTIONS[category]}/${resourceId}`,
      resourceId,
      eventDateUtc: new Date(this.clock.now()).toISOString(),
      eventType,
      eventCategory: category,
      tenantId,
      tenantType: 'ORGANISATION',
      ...(data ? { data } : {}),
    });
    this.scheduleBatch();
  }

  private scheduleBatch(): void {
    if (!this.batchTimer) {
      this.batchTimer = setTimeout(() => this.flush(), this.settings.batchDelayMs);
    }
  }

  /** Sends what is queued now (the test API calls it to skip the batching delay). */
  flush(): Delivery | undefined {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.queue.length === 0) return undefined;
    const events = this.queue;
    this.queue = [];
    if (!this.settings.url || !this.settings.key) {
      this.logger.log({ msg: 'webhook events dropped: no webhook URL/key configured', count: events.length });
      return undefined;
    }
    const delivery: Delivery = {
      id: this.deliveries.length + 1,
      firstEventSequence: this.sequence + 1,
      lastEventSequence: this.sequence + events.length,
      events,
      state: 'pending',
      attempts: [],
    };
    this.sequence += events.length;
    this.deliveries.push(delivery);
    void this.attempt(delivery, this.generation);
    return delivery;
  }

  status(): { settings: WebhookSettings; intentToReceive?: IntentState; queued: number; deliveries: Delivery[] } {
    return { settings: this.describeSettings(), intentToReceive: this.intent, queued: this.queue.length, deliveries: this.deliveries };
  }

  reset(): void {
    this.stop();
    this.queue = [];
    this.deliveries = [];
    this.sequence = 0;
    this.intent = undefined;
    this.settings = { ...this.config.webhook };
  }

  snapshot(): WebhooksState {
    const retrying = this.deliveries.filter((d) => d.state === 'pending').flatMap((d) => d.events);
    return {
      settings: { settings: { ...this.settings }, defaults: { ...this.config.webhook } },
      intent: this.intent,
      sequence: this.sequence,
      undelivered: [...retrying, ...this.queue],
    };
  }

  restore(state: WebhooksState): void {
    this.reset();
    this.settings = restoreSettings(this.config.webhook, state.settings);
    this.intent = state.intent;
    this.sequence = state.sequence;
    this.queue = [...state.undelivered];
    if (this.queue.length > 0) this.scheduleBatch();
  }

  /** Shutdown stops deliveries but keeps the state, so a final snapshot still sees undelivered events. */
  onModuleDestroy(): void {
    this.stop();
  }

  private stop(): void {
    this.generation++;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
  }

  private async attempt(delivery: Delivery, generation: number): Promise<void> {
    const at = new Date().toISOString();
    try {
      await this.ensureIntentToReceive();
      const body = JSON.stringify({
        events: delivery.events,
        firstEventSequence: delivery.firstEventSequence,
        lastEventSequence: delivery.lastEventSequence,
        entropy: this.entropy(),
      });
      const status = await this.post(body, signWebhookBody(body, this.settings.key));
      delivery.attempts.push({ at, status });
      if (status >= 200 && status < 300) {
        delivery.state = 'delivered';
        delivery.nextAttemptAt = undefined;
        return;
      }
    } catch (error) {
      delivery.attempts.push({ at, error: (error as Error).message });
    }
    if (generation !== this.generation) return;
    if (delivery.attempts.length >= this.settings.maxAttempts) {
      delivery.state = 'failed';
      delivery.nextAttemptAt = undefined;
      this.logger.warn({ msg: 'webhook delivery abandoned', delivery: delivery.id, attempts: delivery.attempts.length });
      return;
    }
    const delay = this.settings.retryBaseMs * 2 ** (delivery.attempts.length - 1);
    delivery.nextAttemptAt = new Date(Date.now() + delay).toISOString();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery, generation);
    }, delay);
    this.timers.add(timer);
  }

  private async ensureIntentToReceive(): Promise<void> {
    const { url, key } = this.settings;
    if (this.intent?.state === 'verified' && this.intent.url === url && this.intent.key === key) return;
    const body = JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: this.entropy() });
    const signature = signWebhookBody(body, key);
    const good = await this.post(body, signature);
    const bad = await this.post(body, corruptSignature(signature));
    const passed = good === 200 && bad === 401;
    this.intent = {
      url,
      key,
      state: passed ? 'verified' : 'failed',
      checkedAt: new Date().toISOString(),
      detail: passed ? undefined : `intent to receive failed: correct signature got ${good} (want 200), wrong signature got ${bad} (want 401)`,
    };
    if (!passed) throw new Error(this.intent.detail);
  }

  private async post(body: string, signature: string): Promise<number> {
    const response = await fetch(this.settings.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-xero-signature': signature, 'user-agent': 'Xero-Webhooks (Ledgerline sandbox)' },
      body,
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    await response.arrayBuffer();
    return response.status;
  }

  private entropy(): string {
    return randomBytes(10).toString('hex').toUpperCase();
  }
}
