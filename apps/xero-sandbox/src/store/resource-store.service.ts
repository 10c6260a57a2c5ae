import { Injectable } from '@nestjs/common';
import { Persistent } from '../state/persistent';

export type XeroRecord = Record<string, unknown>;

export interface StoredRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  /** The record as Xero would return it (PascalCase, Xero dates). */
  data: XeroRecord;
}

export interface ResourceStoreState {
  /** `tenantId/Type` -> records in insertion order. */
  collections: Record<string, StoredRecord[]>;
  /** `tenantId/sequence` -> the last number handed out. */
  sequences: Record<string, number>;
}

/**
 * In-memory storage for every tenant-scoped resource type. One generic store serves contacts,
 * invoices, accounts, projects and the rest: a collection per (tenant, resource type), kept in
 * insertion order, plus per-tenant number sequences (INV-0001, ...).
 */
@Injectable()
export class ResourceStore implements Persistent<ResourceStoreState> {
  private readonly collections = new Map<string, Map<string, StoredRecord>>();
  private readonly sequences = new Map<string, number>();

  private collection(tenantId: string, type: string): Map<string, StoredRecord> {
    const key = `${tenantId}/${type}`;
    let collection = this.collections.get(key);
    if (!collection) {
      collection = new Map();
      this.collections.set(key, collection);
    }
    return collection;
  }

  list(tenantId: string, type: string): StoredRecord[] {
    return [...this.collection(tenantId, type).values()];
  }

  get(tenantId: string, type: string, id: string): StoredRecord | undefined {
    return this.collection(tenantId, type).get(id.toLowerCase());
  }

  save(tenantId: string, type: string, record: StoredRecord): StoredRecord {
    this.collection(tenantId, type).set(record.id.toLowerCase(), record);
    return record;
  }

  nextNumber(tenantId: string, sequence: string): number {
    const key = `${tenantId}/${sequence}`;
    const next = (this.sequences.get(key) ?? 0) + 1;
    this.sequences.set(key, next);
    return next;
  }

  dropTenant(tenantId: string): void {
    for (const key of [...this.collections.keys()]) if (key.startsWith(`${tenantId}/`)) this.collections.delete(key);
    for (const key of [...this.sequences.keys()]) if (key.startsWith(`${tenantId}/`)) this.sequences.delete(key);
  }

  reset(): void {
    this.collections.clear();
    this.sequences.clear();
  }

  snapshot(): ResourceStoreState {
    return {
      collections: Object.fromEntries([...this.collections].map(([key, records]) => [key, [...records.values()]])),
      sequences: Object.fromEntries(this.sequences),
    };
  }

  restore(state: ResourceStoreState): void {
    this.reset();
    for (const [key, records] of Object.entries(state.collections)) {
      this.collections.set(key, new Map(records.map((record) => [record.id.toLowerCase(), record])));
    }
    for (const [key, last] of Object.entries(state.sequences)) {
      if (!Number.isInteger(last) || last < 0) throw new RangeError(`sequence ${key} must be a whole number`);
      this.sequences.set(key, last);
    }
  }
}
