import { Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PaymentsConfig } from '../config/payments.config';
import { TenantLinks } from '../tenant-links/tenant-links.repository';
import { eventInstant, XeroWebhookEvent } from './domain/webhook-batch';
import { classifyEvent, decideForwarding, receivedPayload, WebhookEventOutcome, webhookEventKey } from './domain/webhook-event-rules';
import { ClaimedDelivery, WebhookDeliveries } from './webhook-deliveries.store';
import { webhookEvents } from './webhook-metrics';

const CLAIM_BATCH = 20;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 300_000;

class LeaseLost extends Error {}

interface Tally {
  outcome: WebhookEventOutcome;
  category: string;
}

/**
 * Works through stored webhook deliveries outside the request: each event is decided once (a resend, or an
 * event older than one already forwarded for its resource, changes nothing), and a known one is published as
 * `xero.webhook.received` to every company connected to its organisation, through the outbox, in the same
 * transaction that records the decision. Nothing here calls out of the process.
 */
@Injectable()
export class WebhookProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookProcessor.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private pendingWake = false;

  constructor(
    private readonly config: PaymentsConfig,
    private readonly dataSource: DataSource,
    private readonly deliveries: WebhookDeliveries,
    private readonly links: TenantLinks,
    private readonly publisher: EventPublisher,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.WEBHOOK_PROCESSING_ENABLED) this.start();
    else this.logger.warn('webhook processing is off in this process (WEBHOOK_PROCESSING_ENABLED=false): deliveries are stored and wait');
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** A delivery was stored: look now rather than at the next interval. */
  nudge(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.processDue();
      } catch (error) {
        this.logger.error(`webhook processing failed, will retry: ${(error as Error).message}`);
      }
      if (claimed < CLAIM_BATCH) await this.sleep(this.config.WEBHOOK_PROCESS_INTERVAL_MS);
    }
  }

  /** Claims and processes one round of due deliveries; returns how many were claimed. */
  async processDue(): Promise<number> {
    const due = await this.deliveries.claimDue(CLAIM_BATCH, this.config.WEBHOOK_LEASE_MS);
    for (const delivery of due) await this.processOne(delivery);
    return due.length;
  }

  private async processOne(delivery: ClaimedDelivery): Promise<void> {
    let tallies: Tally[] = [];
    try {
      tallies = await this.dataSource.transaction(async (tx) => {
        const decided: Tally[] = [];
        for (const event of delivery.batch.events) decided.push(await this.decide(tx, delivery.id, event));
        if (!(await this.deliveries.complete(tx, delivery))) throw new LeaseLost();
        return decided;
      });
    } catch (error) {
      if (error instanceof LeaseLost) {
        this.logger.warn(`webhook delivery ${delivery.id}: the lease ran out and another process took it; this pass is undone`);
        return;
      }
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(delivery.tries - 1, 20));
      this.logger.error(`webhook delivery ${delivery.id} could not be processed (try ${delivery.tries}), again in ${delay} ms: ${(error as Error).message}`);
      await this.deliveries.postpone(delivery, (error as Error).message, delay).catch(() => undefined);
      return;
    }
    // Counted once committed, so a pass that was undone counts nothing.
    for (const tally of tallies) webhookEvents.inc({ outcome: tally.outcome, category: tally.category });
    this.publisher.flush();
    const forwarded = tallies.filter((t) => t.outcome === 'forwarded').length;
    this.logger.log(`webhook delivery ${delivery.id} processed: ${tallies.length} event(s), ${forwarded} forwarded`);
  }

  private async decide(tx: EntityManager, deliveryId: string, event: XeroWebhookEvent): Promise<Tally> {
    const key = webhookEventKey(event);
    // The batch was checked on receipt, so the date reads.
    const eventAt = eventInstant(event.eventDateUtc) as Date;
    const claimed = await this.deliveries.claimEvent(tx, deliveryId, key, event, eventAt);
    if (!claimed) return { outcome: 'duplicate', category: event.eventCategory };

    const kind = classifyEvent(event);
    if (!kind.known) {
      this.logger.warn(`Xero webhook event kept but not forwarded (${kind.reason}): tenant ${event.tenantId}, resource ${event.resourceId}`);
      await this.deliveries.recordOutcome(tx, key, 'unknown_category', [], kind.reason);
      return { outcome: 'unknown_category', category: 'unknown' };
    }

    const latestForwardedAt = await this.deliveries.latestForwarded(tx, event, kind.category);
    const companies = await this.links.companiesOf(tx, event.tenantId);
    const outcome = decideForwarding({ seenBefore: false, latestForwardedAt, eventAt, companies });
    if (outcome === 'forwarded') {
      const payload = receivedPayload(event, kind);
      for (const companyId of companies) {
        await this.publisher.publish(tx, Topics.XeroWebhookReceived, companyId, payload, { correlationId: `xero-webhook:${key.slice(0, 40)}` });
      }
      await this.deliveries.markForwarded(tx, event, kind.category, eventAt);
    } else if (outcome === 'unrouted') {
      this.logger.warn(`Xero webhook event dropped: no company is connected to organisation ${event.tenantId} (${kind.category} ${kind.eventType} ${event.resourceId})`);
    }
    if (outcome !== 'duplicate') await this.deliveries.recordOutcome(tx, key, outcome, outcome === 'forwarded' ? companies : []);
    return { outcome, category: kind.category };
  }

  private sleep(ms: number): Promise<void> {
    if (this.pendingWake || !this.running) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.pendingWake = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
