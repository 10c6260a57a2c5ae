import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { XeroWebhookBatch, XeroWebhookEvent } from './domain/webhook-batch';
import { WebhookEventOutcome } from './domain/webhook-event-rules';

/** A stored delivery this process holds the lease on: only the holder of `leaseToken` may complete it. */
export interface ClaimedDelivery {
  id: string;
  batch: XeroWebhookBatch;
  tries: number;
  leaseToken: string;
}

const interval = (param: string) => `make_interval(secs => ${param}::double precision / 1000)`;

/**
 * The receiver's database side. A delivery is written before Xero gets its 200; processing claims due
 * deliveries with short FOR UPDATE SKIP LOCKED transactions and a lease, so replicas share the work and a
 * process that dies mid-way leaves its delivery to be taken up again when the lease ends.
 */
@Injectable()
export class WebhookDeliveries {
  constructor(private readonly dataSource: DataSource) {}

  async store(batch: XeroWebhookBatch): Promise<string> {
    const id = randomUUID();
    await this.dataSource.query(`INSERT INTO ${Tables.webhookDeliveries} ("id", "body", "event_count") VALUES ($1, $2, $3)`, [
      id,
      JSON.stringify(batch),
      batch.events.length,
    ]);
    return id;
  }

  /** Pending deliveries that are due and unleased (never processed, failed, or left by a dead process), oldest first. */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows: { id: string; body: XeroWebhookBatch; tries: number; lease_token: string }[] = await this.dataSource.query(
      `WITH due AS (
         SELECT "id" FROM ${Tables.webhookDeliveries}
         WHERE "status" = 'pending' AND "next_attempt_at" <= now() AND ("lease_until" IS NULL OR "lease_until" < now())
         ORDER BY "received_at" LIMIT $1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE ${Tables.webhookDeliveries} d
         SET "lease_token" = gen_random_uuid(), "lease_until" = now() + ${interval('$2')}, "tries" = d."tries" + 1
         FROM due WHERE d."id" = due."id"
         RETURNING d."id", d."body", d."tries", d."lease_token", d."received_at"
       )
       SELECT * FROM claimed ORDER BY "received_at"`,
      [limit, leaseMs],
    );
    return rows.map((row) => ({ id: row.id, batch: row.body, tries: row.tries, leaseToken: row.lease_token }));
  }

  /** Closes the delivery inside `tx`; false when the lease was lost (another process owns it now). */
  async complete(tx: EntityManager, delivery: ClaimedDelivery): Promise<boolean> {
    // A bare UPDATE … RETURNING comes back from TypeORM as [rows, count]; wrapped in a SELECT it is just rows.
    const rows: unknown[] = await tx.query(
      `WITH closed AS (
         UPDATE ${Tables.webhookDeliveries}
         SET "status" = 'processed', "processed_at" = now(), "lease_token" = NULL, "lease_until" = NULL, "last_error" = NULL
         WHERE "id" = $1 AND "lease_token" = $2 AND "status" = 'pending' RETURNING "id"
       )
       SELECT "id" FROM closed`,
      [delivery.id, delivery.leaseToken],
    );
    return rows.length > 0;
  }

  /** Processing failed: the delivery is tried again after `delayMs`. */
  async postpone(delivery: ClaimedDelivery, error: string, delayMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${Tables.webhookDeliveries}
       SET "lease_token" = NULL, "lease_until" = NULL, "next_attempt_at" = now() + ${interval('$3')}, "last_error" = $4
       WHERE "id" = $1 AND "lease_token" = $2`,
      [delivery.id, delivery.leaseToken, delayMs, error.slice(0, 4_000)],
    );
  }

  /** Claims the event's key; false when it was handled before (a resend). The row waits for its outcome. */
  async claimEvent(tx: EntityManager, deliveryId: string, key: string, event: XeroWebhookEvent, eventAt: Date): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO ${Tables.webhookEvents}
         ("event_key", "delivery_id", "tenant_id", "event_category", "event_type", "resource_id", "event_date_utc", "event_at", "outcome")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'unrouted')
       ON CONFLICT ("event_key") DO NOTHING RETURNING "event_key"`,
      [key, deliveryId, event.tenantId, event.eventCategory, event.eventType, event.resourceId, event.eventDateUtc, eventAt],
    );
    return rows.length > 0;
  }

  async recordOutcome(tx: EntityManager, key: string, outcome: Exclude<WebhookEventOutcome, 'duplicate'>, companyIds: string[], detail?: string): Promise<void> {
    await tx.query(`UPDATE ${Tables.webhookEvents} SET "outcome" = $2, "company_ids" = $3, "detail" = $4 WHERE "event_key" = $1`, [key, outcome, companyIds, detail ?? null]);
  }

  /** The latest instant forwarded for the resource, locked until `tx` ends so two deliveries decide one after the other. */
  async latestForwarded(tx: EntityManager, event: XeroWebhookEvent, category: string): Promise<Date | undefined> {
    await tx.query(
      `INSERT INTO ${Tables.webhookResources} ("tenant_id", "event_category", "resource_id", "last_forwarded_at")
       VALUES ($1, $2, $3, NULL) ON CONFLICT DO NOTHING`,
      [event.tenantId, category, event.resourceId],
    );
    const rows: { last_forwarded_at: Date | null }[] = await tx.query(
      `SELECT "last_forwarded_at" FROM ${Tables.webhookResources} WHERE "tenant_id" = $1 AND "event_category" = $2 AND "resource_id" = $3 FOR UPDATE`,
      [event.tenantId, category, event.resourceId],
    );
    return rows[0]?.last_forwarded_at ?? undefined;
  }

  async markForwarded(tx: EntityManager, event: XeroWebhookEvent, category: string, eventAt: Date): Promise<void> {
    await tx.query(
      `UPDATE ${Tables.webhookResources} SET "last_forwarded_at" = GREATEST("last_forwarded_at", $4::timestamptz)
       WHERE "tenant_id" = $1 AND "event_category" = $2 AND "resource_id" = $3`,
      [event.tenantId, category, event.resourceId, eventAt],
    );
  }
}
