import { Injectable } from '@nestjs/common';

export interface CallRecord {
  at: string;
  method: string;
  path: string;
  endpoint: string;
  tenantId?: string;
  clientId?: string;
  status: number;
  durationMs: number;
  rateLimitProblem?: string;
  fault?: string;
  idempotentReplay?: boolean;
}

interface Counter {
  calls: number;
  rateLimited: number;
  errors: number;
}

const MAX_LOG = 2000;
const GUID_IN_PATH = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function emptyCounter(): Counter {
  return { calls: 0, rateLimited: 0, errors: 0 };
}

/** The call log and counters the test API exposes (per organisation, per endpoint, token refreshes). */
@Injectable()
export class CallsService {
  private log: CallRecord[] = [];
  private byTenant = new Map<string, Counter>();
  private byEndpoint = new Map<string, Counter>();
  private refreshes = new Map<string, { rotated: number; replayed: number }>();
  private total = emptyCounter();

  static endpointOf(method: string, path: string): string {
    return `${method} ${path.split('?')[0].replace(GUID_IN_PATH, '{id}')}`;
  }

  record(call: CallRecord): void {
    this.log.push(call);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
    const counters = [this.total, this.counter(this.byEndpoint, call.endpoint)];
    if (call.tenantId) counters.push(this.counter(this.byTenant, call.tenantId));
    for (const counter of counters) {
      counter.calls++;
      if (call.status === 429) counter.rateLimited++;
      else if (call.status >= 400) counter.errors++;
    }
  }

  countRefresh(clientId: string, kind: 'rotated' | 'replayed'): void {
    const entry = this.refreshes.get(clientId) ?? { rotated: 0, replayed: 0 };
    entry[kind]++;
    this.refreshes.set(clientId, entry);
  }

  calls(filter: { tenantId?: string; limit?: number } = {}): CallRecord[] {
    const matching = filter.tenantId ? this.log.filter((c) => c.tenantId === filter.tenantId?.toLowerCase()) : this.log;
    return matching.slice(-(filter.limit ?? MAX_LOG));
  }

  counters(): Record<string, unknown> {
    const refreshTotals = [...this.refreshes.values()].reduce((sum, r) => sum + r.rotated + r.replayed, 0);
    return {
      total: this.total,
      tokenRefreshes: { total: refreshTotals, byClient: Object.fromEntries(this.refreshes) },
      byOrganisation: Object.fromEntries(this.byTenant),
      byEndpoint: Object.fromEntries(this.byEndpoint),
    };
  }

  reset(): void {
    this.log = [];
    this.byTenant.clear();
    this.byEndpoint.clear();
    this.refreshes.clear();
    this.total = emptyCounter();
  }

  private counter(map: Map<string, Counter>, key: string): Counter {
    let counter = map.get(key);
    if (!counter) {
      counter = emptyCounter();
      map.set(key, counter);
    }
    return counter;
  }
}
