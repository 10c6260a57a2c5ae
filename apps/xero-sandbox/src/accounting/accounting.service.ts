import { Injectable } from '@nestjs/common';
import { ClockService } from '../clock/clock.service';
import { SandboxException, ValidationElement } from '../common/sandbox.exception';
import { envelope, GUID } from '../common/xero-json';
import { ResourceStore, StoredRecord, XeroRecord } from '../store/resource-store.service';
import { WebhooksService } from '../webhooks/webhooks.service';
import { findResource } from './accounting.registry';
import { allocationRemovalOf, allocationsOf } from './allocations';
import { ChangeKind, ResourceDefinition, WriteContext } from './resource-definition';
import { parseWhere, WhereClauseError } from './where-clause';

export interface ListQuery {
  where?: string;
  order?: string;
  page?: string;
  pageSize?: string;
  unitdp?: string;
  ifModifiedSince?: string;
  [filter: string]: string | undefined;
}

export interface WriteOptions {
  /** PUT creates; POST creates or updates. */
  mode: 'create' | 'upsert';
  summarizeErrors: boolean;
  unitdp: 2 | 4;
  /** POST /{Collection}/{id}: the element(s) update this record. */
  pathId?: string;
}

export interface ApiResult {
  status: number;
  body: Record<string, unknown>;
}

const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 100;

function unitdpOf(value: string | undefined): 2 | 4 {
  return value === '4' ? 4 : 2;
}

/**
 * The accounting API's generic engine: lists with where/order/paging/If-Modified-Since, gets by id,
 * and batch writes with Xero's summarizeErrors semantics. Resource rules live in the definitions.
 */
@Injectable()
export class AccountingService {
  constructor(
    private readonly store: ResourceStore,
    private readonly clock: ClockService,
    private readonly webhooks: WebhooksService,
  ) {}

  resource(collection: string): ResourceDefinition {
    const definition = findResource(collection);
    if (!definition) throw SandboxException.notFound();
    return definition;
  }

  list(tenantId: string, collection: string, query: ListQuery): ApiResult {
    const definition = this.resource(collection);
    let records = this.store.list(tenantId, definition.collection);
    if (query.ifModifiedSince) {
      const since = Date.parse(query.ifModifiedSince);
      if (Number.isNaN(since)) throw SandboxException.badRequest(`If-Modified-Since '${query.ifModifiedSince}' is not a valid date`);
      // HTTP dates have whole seconds; Xero compares at that precision.
      records = records.filter((r) => Math.floor(r.updatedAt / 1000) * 1000 > since);
    }
    for (const [param, filter] of Object.entries(definition.queryFilters ?? {})) {
      const raw = Object.entries(query).find(([key]) => key.toLowerCase() === param.toLowerCase())?.[1];
      if (raw) {
        const values = raw.split(',').map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
        records = records.filter((r) => filter(r, values));
      }
    }
    if (query.where) {
      let predicate: (record: unknown) => boolean;
      try {
        predicate = parseWhere(query.where);
      } catch (error) {
        if (error instanceof WhereClauseError) throw SandboxException.validation([{ ValidationErrors: [{ Message: error.message }] }]);
        throw error;
      }
      records = records.filter((r) => predicate(r.data));
    }
    records = this.order(records, definition, query.order);
    const paged = query.page !== undefined;
    const unitdp = unitdpOf(query.unitdp);
    const itemCount = records.length;
    let pagination: Record<string, number> | undefined;
    if (paged) {
      const page = Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1);
      const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Number.parseInt(query.pageSize ?? String(DEFAULT_PAGE_SIZE), 10) || DEFAULT_PAGE_SIZE));
      records = records.slice((page - 1) * pageSize, page * pageSize);
      pagination = { page, pageSize, pageCount: Math.ceil(itemCount / pageSize), itemCount };
    }
    const items = records.map((r) => this.present(definition, r, { paged, unitdp, single: false }));
    return { status: 200, body: envelope(this.clock.now(), { ...(pagination ? { pagination } : {}), [definition.collection]: items }) };
  }

  get(tenantId: string, collection: string, id: string, query: ListQuery): ApiResult {
    const definition = this.resource(collection);
    const record = this.findById(tenantId, definition, id);
    if (!record) throw SandboxException.notFound();
    return {
      status: 200,
      body: envelope(this.clock.now(), { [definition.collection]: [this.present(definition, record, { paged: true, unitdp: unitdpOf(query.unitdp), single: true })] }),
    };
  }

  /** Looks a record up by id, or by number for documents (Xero accepts /Invoices/INV-0001). */
  private findById(tenantId: string, definition: ResourceDefinition, id: string): StoredRecord | undefined {
    const direct = this.store.get(tenantId, definition.collection, id);
    if (direct || GUID.test(id)) return direct;
    const numberField = definition.idField.replace(/ID$/, 'Number');
    return this.store.list(tenantId, definition.collection).find((r) => String(r.data[numberField] ?? '').toLowerCase() === id.toLowerCase());
  }

  write(tenantId: string, collection: string, body: unknown, options: WriteOptions): ApiResult {
    const definition = this.resource(collection);
    if (definition.readOnly) throw SandboxException.notFound();
    const elements = this.elementsOf(definition, body);
    if (options.pathId) {
      const existing = this.findById(tenantId, definition, options.pathId);
      if (!existing) throw SandboxException.notFound();
      for (const element of elements) element[definition.idField] = existing.id;
    }
    const outcome = this.writeElements(tenantId, definition, elements, options);
    if (outcome.failed > 0 && options.summarizeErrors) {
      throw SandboxException.validation(outcome.results.filter((r) => r.failed).map((r) => r.element as ValidationElement));
    }
    outcome.commit();
    const items = outcome.results.map((r) => (options.summarizeErrors ? r.element : { ...r.element, StatusAttributeString: r.failed ? 'ERROR' : 'OK' }));
    return { status: 200, body: envelope(this.clock.now(), { [definition.collection]: items }) };
  }

  /**
   * PUT /{CreditNotes|Prepayments|Overpayments}/{id}/Allocations: allocates the credit to invoices, with the
   * same batch and summarizeErrors semantics as other writes; the answer is `{"Allocations":[…]}`.
   */
  allocate(tenantId: string, collection: string, id: string, body: unknown, options: Omit<WriteOptions, 'mode' | 'pathId'>): ApiResult {
    const credit = this.resource(collection);
    if (!credit.allocatable) throw SandboxException.notFound();
    const source = this.findById(tenantId, credit, id);
    if (!source) throw SandboxException.notFound();
    const allocations = allocationsOf(credit, source.id);
    const outcome = this.writeElements(tenantId, allocations, this.elementsOf(allocations, body), { ...options, mode: 'create' });
    if (outcome.failed > 0 && options.summarizeErrors) {
      throw SandboxException.validation(outcome.results.filter((r) => r.failed).map((r) => r.element as ValidationElement));
    }
    outcome.commit();
    const items = outcome.results.map((r) => (options.summarizeErrors ? r.element : { ...r.element, StatusAttributeString: r.failed ? 'ERROR' : 'OK' }));
    return { status: 200, body: envelope(this.clock.now(), { Allocations: items }) };
  }

  /** DELETE /{CreditNotes|Prepayments|Overpayments}/{id}/Allocations/{AllocationID}: answers the Allocation, IsDeleted. */
  deleteAllocation(tenantId: string, collection: string, id: string, allocationId: string): ApiResult {
    const credit = this.resource(collection);
    if (!credit.allocatable) throw SandboxException.notFound();
    const source = this.findById(tenantId, credit, id);
    if (!source) throw SandboxException.notFound();
    const outcome = this.writeElements(tenantId, allocationRemovalOf(credit, source.id, allocationId), [{ AllocationID: allocationId }], { mode: 'create', summarizeErrors: true, unitdp: 2 });
    if (outcome.failed > 0) throw SandboxException.notFound();
    outcome.commit();
    return { status: 200, body: outcome.results[0].element };
  }

  /** Allocates a credit on behalf of a Xero user (test API): same rules, same webhooks, errors as a 400. */
  allocateAsUser(tenantId: string, collection: string, id: string, elements: XeroRecord[]): StoredRecord[] {
    const credit = this.resource(collection);
    const source = credit.allocatable ? this.store.get(tenantId, credit.collection, id) : undefined;
    if (!source) throw SandboxException.notFound(`${credit.collection} ${id} does not exist`);
    const outcome = this.writeElements(tenantId, allocationsOf(credit, source.id), elements, { mode: 'create', summarizeErrors: true, unitdp: 4 });
    if (outcome.failed > 0) throw SandboxException.validation(outcome.results.filter((r) => r.failed).map((r) => r.element as ValidationElement));
    return outcome.commit();
  }

  /** Writes on behalf of a Xero user (test API): same rules, same webhooks, errors as a 400. */
  writeAsUser(tenantId: string, collection: string, elements: XeroRecord[], mode: 'create' | 'upsert' = 'upsert'): StoredRecord[] {
    const definition = this.resource(collection);
    const outcome = this.writeElements(tenantId, definition, elements, { mode, summarizeErrors: true, unitdp: 4 });
    if (outcome.failed > 0) throw SandboxException.validation(outcome.results.filter((r) => r.failed).map((r) => r.element as ValidationElement));
    return outcome.commit();
  }

  private elementsOf(definition: ResourceDefinition, body: unknown): XeroRecord[] {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw SandboxException.validation([{ ValidationErrors: [{ Message: 'The request body is not a valid JSON object.' }] }]);
    }
    const wrapped = Object.entries(body).find(([key]) => key.toLowerCase() === definition.collection.toLowerCase())?.[1];
    if (wrapped !== undefined) {
      if (!Array.isArray(wrapped) || wrapped.some((e) => !e || typeof e !== 'object')) {
        throw SandboxException.validation([{ ValidationErrors: [{ Message: `${definition.collection} must be a list of objects.` }] }]);
      }
      return wrapped.map((e: XeroRecord) => ({ ...e }));
    }
    // Xero also accepts a single unwrapped element (xero-node sends a single Payment this way).
    return [{ ...(body as XeroRecord) }];
  }

  private writeElements(tenantId: string, definition: ResourceDefinition, elements: XeroRecord[], options: WriteOptions) {
    const staged = new Map<string, { type: string; record: StoredRecord; change: ChangeKind }>();
    const now = this.clock.now();
    const stagedOf = (type: string) => [...staged.values()].filter((s) => s.type === type).map((s) => s.record);
    const ctx: WriteContext = {
      tenantId,
      now,
      unitdp: options.unitdp,
      records: (type) => {
        const overlay = new Map(this.store.list(tenantId, type).map((r) => [r.id.toLowerCase(), r]));
        for (const record of stagedOf(type)) overlay.set(record.id.toLowerCase(), record);
        return [...overlay.values()];
      },
      find: (type, id) => staged.get(`${type}/${id.toLowerCase()}`)?.record ?? this.store.get(tenantId, type, id),
      nextNumber: (sequence) => this.store.nextNumber(tenantId, sequence),
      saveRelated: (type, record, change) => {
        const key = `${type}/${record.id.toLowerCase()}`;
        staged.set(key, { type, record, change: staged.get(key)?.change ?? change });
      },
    };
    const results: { element: XeroRecord; failed: boolean }[] = [];
    let failed = 0;
    for (const input of elements) {
      // PUT never updates through a natural key: a second "Acme" is a duplicate, not an edit.
      const existing = options.mode === 'create' && !input[definition.idField] ? undefined : definition.findExisting(input, ctx);
      const outcome = definition.write(input, existing, ctx);
      if (!outcome.ok) {
        failed++;
        results.push({ element: this.errorElement(definition, outcome.echo, outcome.errors), failed: true });
        continue;
      }
      results.push({ element: this.stage(definition, outcome, existing, ctx, now).data, failed: false });
    }
    // Elements reflect the final state of their records (a payment later in the batch may change an invoice).
    for (const result of results) {
      if (result.failed) continue;
      const id = String(result.element[definition.idField]).toLowerCase();
      const latest = staged.get(`${definition.collection}/${id}`);
      if (latest) result.element = latest.record.data;
    }
    return {
      results,
      failed,
      commit: (): StoredRecord[] => {
        const saved: StoredRecord[] = [];
        for (const { type, record, change } of staged.values()) {
          this.store.save(tenantId, type, record);
          saved.push(record);
          const resource = findResource(type);
          if (resource?.webhookCategory) this.webhooks.notify(tenantId, resource.webhookCategory, record.id, change, resource.webhookData?.(record));
        }
        return saved;
      },
    };
  }

  private stage(definition: ResourceDefinition, outcome: Extract<ReturnType<ResourceDefinition['write']>, { ok: true }>, existing: StoredRecord | undefined, ctx: WriteContext, now: number): StoredRecord {
    const id = String(outcome.data[definition.idField]);
    const record: StoredRecord = { id, createdAt: existing?.createdAt ?? now, updatedAt: now, data: outcome.data };
    ctx.saveRelated(definition.collection, record, existing ? 'UPDATE' : 'CREATE');
    outcome.commit?.(ctx, record);
    return record;
  }

  private errorElement(definition: ResourceDefinition, echo: XeroRecord, errors: string[]): XeroRecord {
    const flag = definition.collection === 'Contacts' || definition.collection === 'Payments' ? 'HasValidationErrors' : 'HasErrors';
    return { ...echo, [flag]: true, ValidationErrors: errors.map((Message) => ({ Message })) };
  }

  private present(definition: ResourceDefinition, record: StoredRecord, options: { paged: boolean; unitdp: 2 | 4; single: boolean }): XeroRecord {
    return definition.present ? definition.present(record, options) : record.data;
  }

  private order(records: StoredRecord[], definition: ResourceDefinition, order: string | undefined): StoredRecord[] {
    const sorted = [...records];
    if (!order) return definition.sort ? sorted.sort(definition.sort) : sorted;
    const [field, direction] = order.trim().split(/\s+/);
    const sign = direction?.toUpperCase() === 'DESC' ? -1 : 1;
    return sorted.sort((a, b) => {
      const left = a.data[field];
      const right = b.data[field];
      if (typeof left === 'number' && typeof right === 'number') return (left - right) * sign;
      return String(left ?? '').localeCompare(String(right ?? '')) * sign;
    });
  }
}
