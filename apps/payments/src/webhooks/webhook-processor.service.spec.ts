import { Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { DataSource, EntityManager } from 'typeorm';
import { PaymentsConfig } from '../config/payments.config';
import { TenantLinks } from '../tenant-links/tenant-links.repository';
import { XeroWebhookEvent } from './domain/webhook-batch';
import { ClaimedDelivery, WebhookDeliveries } from './webhook-deliveries.store';
import { WebhookProcessor } from './webhook-processor.service';

const TENANT = '4f6b5b6e-0d1c-4c64-9a51-5a3f0c2d7e10';
const event = (overrides: Partial<XeroWebhookEvent> = {}): XeroWebhookEvent => ({
  resourceUrl: 'https://api.xero.com/api.xro/2.0/Invoices/0f4f7c1e-2b7e-4a59-9a3c-6a0a4d1f9e01',
  resourceId: '0f4f7c1e-2b7e-4a59-9a3c-6a0a4d1f9e01',
  eventDateUtc: '2026-11-20T10:00:00.000',
  eventType: 'UPDATE',
  eventCategory: 'INVOICE',
  tenantId: TENANT,
  tenantType: 'ORGANISATION',
  ...overrides,
});
const claimed = (events: XeroWebhookEvent[], tries = 1): ClaimedDelivery => ({ id: 'd-1', batch: { events, firstEventSequence: 1, lastEventSequence: events.length, entropy: 'X' }, tries, leaseToken: 'lease-1' });

/** The processor with its database faked in memory: one line per test says what the store holds. */
function processor(options: { companies?: string[]; leaseHeld?: boolean; failWith?: Error; latestForwardedAt?: Date } = {}) {
  const keys = new Set<string>();
  const outcomes: { key: string; outcome: string; companies: string[] }[] = [];
  const published: { topic: string; companyId: string; payload: unknown }[] = [];
  const postponed: { error: string; delayMs: number }[] = [];
  let queue: ClaimedDelivery[] = [];
  const tx = {} as EntityManager;
  const store = {
    claimDue: async () => {
      const due = queue;
      queue = [];
      return due;
    },
    claimEvent: async (_tx: EntityManager, _id: string, key: string) => {
      if (options.failWith) throw options.failWith;
      if (keys.has(key)) return false;
      keys.add(key);
      return true;
    },
    recordOutcome: async (_tx: EntityManager, key: string, outcome: string, companies: string[]) => void outcomes.push({ key, outcome, companies }),
    latestForwarded: async () => options.latestForwardedAt,
    markForwarded: async () => undefined,
    complete: async () => options.leaseHeld ?? true,
    postpone: async (_d: ClaimedDelivery, error: string, delayMs: number) => void postponed.push({ error, delayMs }),
  } as unknown as WebhookDeliveries;
  const links = { companiesOf: async () => options.companies ?? ['acme'] } as unknown as TenantLinks;
  const publisher = { publish: async (_tx: EntityManager, topic: string, companyId: string, payload: unknown) => void published.push({ topic, companyId, payload }), flush: () => undefined } as unknown as EventPublisher;
  // A transaction that undoes what was published when its callback throws, as Postgres would.
  const dataSource = {
    transaction: async (work: (tx: EntityManager) => Promise<unknown>) => {
      const before = published.length;
      try {
        return await work(tx);
      } catch (error) {
        published.splice(before);
        throw error;
      }
    },
  } as unknown as DataSource;
  const config = Object.assign(new PaymentsConfig(), { WEBHOOK_LEASE_MS: 30_000 });
  const service = new WebhookProcessor(config, dataSource, store, links, publisher);
  return { service, published, outcomes, postponed, deliver: (d: ClaimedDelivery) => (queue = [d]) };
}

describe('WebhookProcessor', () => {
  it('publishes a known event to every connected company, and records it forwarded', async () => {
    const { service, published, outcomes, deliver } = processor({ companies: ['acme', 'globex'] });
    deliver(claimed([event()]));
    expect(await service.processDue()).toBe(1);
    expect(published.map((p) => [p.topic, p.companyId])).toEqual([
      [Topics.XeroWebhookReceived, 'acme'],
      [Topics.XeroWebhookReceived, 'globex'],
    ]);
    expect(outcomes).toEqual([{ key: expect.any(String), outcome: 'forwarded', companies: ['acme', 'globex'] }]);
  });

  it('forwards an event repeated in one delivery once', async () => {
    const { service, published, deliver } = processor();
    deliver(claimed([event(), event()]));
    await service.processDue();
    expect(published).toHaveLength(1);
  });

  it('keeps an unknown category, forwards nothing and carries on with the rest of the delivery', async () => {
    const { service, published, outcomes, deliver } = processor();
    deliver(claimed([event({ eventCategory: 'TIMESHEET', resourceId: '9f4f7c1e-2b7e-4a59-9a3c-6a0a4d1f9e01' }), event()]));
    await service.processDue();
    expect(outcomes.map((o) => o.outcome)).toEqual(['unknown_category', 'forwarded']);
    expect(published).toHaveLength(1);
  });

  it('records an event of an organisation nobody is connected to as unrouted', async () => {
    const { service, published, outcomes, deliver } = processor({ companies: [] });
    deliver(claimed([event()]));
    await service.processDue();
    expect(published).toHaveLength(0);
    expect(outcomes.map((o) => o.outcome)).toEqual(['unrouted']);
  });

  it('does not forward an event older than what was forwarded for the resource', async () => {
    const { service, published, outcomes, deliver } = processor({ latestForwardedAt: new Date('2026-11-20T11:00:00Z') });
    deliver(claimed([event()]));
    await service.processDue();
    expect(published).toHaveLength(0);
    expect(outcomes.map((o) => o.outcome)).toEqual(['stale']);
  });

  it('undoes the pass when its lease was lost, without postponing the delivery', async () => {
    const { service, published, postponed, deliver } = processor({ leaseHeld: false });
    deliver(claimed([event()]));
    await service.processDue();
    expect(published).toHaveLength(0);
    expect(postponed).toHaveLength(0);
  });

  it('postpones a delivery that fails, backing off with each try', async () => {
    const { service, postponed, deliver } = processor({ failWith: new Error('connection reset') });
    deliver(claimed([event()], 1));
    await service.processDue();
    deliver(claimed([event()], 4));
    await service.processDue();
    expect(postponed).toEqual([
      { error: 'connection reset', delayMs: 1_000 },
      { error: 'connection reset', delayMs: 8_000 },
    ]);
  });
});
