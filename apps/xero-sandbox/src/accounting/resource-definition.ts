import { StoredRecord, XeroRecord } from '../store/resource-store.service';
import type { WebhookCategory } from '../webhooks/webhooks.service';

export type ChangeKind = 'CREATE' | 'UPDATE';

/** What a resource definition may read and do while one write request is processed. */
export interface WriteContext {
  tenantId: string;
  now: number;
  unitdp: 2 | 4;
  /** Records of a type as they stand inside this request (earlier elements of the batch included). */
  records(type: string): StoredRecord[];
  find(type: string, id: string): StoredRecord | undefined;
  nextNumber(sequence: string): number;
  /** Save a record of another type as part of this element's commit (e.g. a payment updating its invoice). */
  saveRelated(type: string, record: StoredRecord, change: ChangeKind): void;
}

export type WriteOutcome =
  | { ok: true; data: XeroRecord; commit?: (ctx: WriteContext, saved: StoredRecord) => void }
  | { ok: false; errors: string[]; echo: XeroRecord };

export interface ListOptions {
  /** Xero leaves line items out of unpaged invoice/quote/PO lists. */
  paged: boolean;
  unitdp: 2 | 4;
}

/**
 * A resource type of the accounting API. The generic AccountingService does routing, batching,
 * filtering, paging, storage and webhooks; a definition supplies only the rules of its resource.
 */
export interface ResourceDefinition {
  /** URL segment and the response's array key, e.g. `Invoices`. */
  collection: string;
  idField: string;
  /** Field a `where`-free create-or-update may match on when no id is given (e.g. a contact's Name). */
  webhookCategory?: WebhookCategory;
  /** What the webhook event says besides the id (credit notes: their Type and Status). */
  webhookData?: (record: StoredRecord) => Record<string, unknown>;
  /** Credits (credit notes, prepayments, overpayments) can be allocated to invoices: PUT /{Collection}/{id}/Allocations. */
  allocatable?: boolean;
  readOnly?: boolean;
  /** Default order of lists (Xero orders most lists by a natural key). */
  sort?: (a: StoredRecord, b: StoredRecord) => number;
  /** Finds the record an element updates: by id, or by a natural key (when the definition has one). */
  findExisting(input: XeroRecord, ctx: WriteContext): StoredRecord | undefined;
  write(input: XeroRecord, existing: StoredRecord | undefined, ctx: WriteContext): WriteOutcome;
  present?(record: StoredRecord, options: ListOptions & { single: boolean }): XeroRecord;
  /** Extra list filters Xero supports as query parameters (e.g. ContactIDs, InvoiceNumbers). */
  queryFilters?: Record<string, (record: StoredRecord, values: string[]) => boolean>;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function sameText(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();
}
