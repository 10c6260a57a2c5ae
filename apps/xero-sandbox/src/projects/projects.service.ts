import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { randomUUID } from 'node:crypto';
import { ClockService } from '../clock/clock.service';
import { SandboxException } from '../common/sandbox.exception';
import { GUID } from '../common/xero-json';
import { OrganisationsService } from '../organisations/organisations.service';
import { ResourceStore, StoredRecord, XeroRecord } from '../store/resource-store.service';

const TYPE = 'Projects';
const STATUSES = ['INPROGRESS', 'CLOSED'];
const AMOUNT_FIELDS = ['totalTaskAmount', 'totalExpenseAmount', 'taskAmountToBeInvoiced', 'taskAmountInvoiced', 'expenseAmountToBeInvoiced', 'expenseAmountInvoiced', 'projectAmountInvoiced', 'deposit', 'depositApplied', 'creditNoteAmount', 'totalInvoiced', 'totalToBeInvoiced'];

function invalid(message: string): SandboxException {
  return SandboxException.validation([{ ValidationErrors: [{ Message: message }] }]);
}

/** api.xero.com/projects.xro/2.0 projects: create, list (paging, states, contact), get, update, status. */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly store: ResourceStore,
    private readonly clock: ClockService,
    private readonly organisations: OrganisationsService,
  ) {}

  create(tenantId: string, body: XeroRecord): XeroRecord {
    const currency = String(this.organisations.require(tenantId).data['BaseCurrency'] ?? 'NZD');
    const fields = this.validate(tenantId, body, true);
    const amount = (value: Decimal.Value) => ({ currency, value: new Decimal(value).toDecimalPlaces(2).toNumber() });
    const now = this.clock.now();
    const project: XeroRecord = {
      projectId: randomUUID(),
      contactId: fields.contactId,
      name: fields.name,
      currencyCode: currency,
      minutesLogged: 0,
      minutesToBeInvoiced: 0,
      ...Object.fromEntries(AMOUNT_FIELDS.map((f) => [f, amount(0)])),
      estimate: amount(fields.estimateAmount ?? 0),
      ...(fields.deadlineUtc ? { deadlineUtc: fields.deadlineUtc } : {}),
      status: 'INPROGRESS',
    };
    this.store.save(tenantId, TYPE, { id: String(project['projectId']), createdAt: now, updatedAt: now, data: project });
    return project;
  }

  list(tenantId: string, query: Record<string, string | undefined>): XeroRecord {
    let records = this.store.list(tenantId, TYPE);
    const ids = query['projectIds']?.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
    if (ids?.length) records = records.filter((r) => ids.includes(r.id.toLowerCase()));
    if (query['contactID']) records = records.filter((r) => String(r.data['contactId']).toLowerCase() === query['contactID']?.toLowerCase());
    const states = query['states']?.split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
    if (states?.length) {
      const unknown = states.filter((s) => !STATUSES.includes(s));
      if (unknown.length) throw invalid(`Unknown state(s): ${unknown.join(', ')}`);
      records = records.filter((r) => states.includes(String(r.data['status'])));
    }
    const page = Math.max(1, Number.parseInt(query['page'] ?? '1', 10) || 1);
    const pageSize = Math.min(500, Math.max(1, Number.parseInt(query['pageSize'] ?? '50', 10) || 50));
    const itemCount = records.length;
    return {
      pagination: { page, pageSize, pageCount: Math.ceil(itemCount / pageSize), itemCount },
      items: records.slice((page - 1) * pageSize, page * pageSize).map((r) => r.data),
    };
  }

  get(tenantId: string, projectId: string): XeroRecord {
    return this.find(tenantId, projectId).data;
  }

  update(tenantId: string, projectId: string, body: XeroRecord): void {
    const record = this.find(tenantId, projectId);
    const fields = this.validate(tenantId, body, false);
    const data = { ...record.data };
    if (fields.name) data['name'] = fields.name;
    if (fields.contactId) data['contactId'] = fields.contactId;
    if (fields.deadlineUtc) data['deadlineUtc'] = fields.deadlineUtc;
    if (fields.estimateAmount !== undefined) data['estimate'] = { currency: data['currencyCode'], value: new Decimal(fields.estimateAmount).toDecimalPlaces(2).toNumber() };
    this.save(tenantId, record, data);
  }

  patch(tenantId: string, projectId: string, body: XeroRecord): void {
    const record = this.find(tenantId, projectId);
    const status = typeof body['status'] === 'string' ? body['status'].toUpperCase() : undefined;
    if (!status || !STATUSES.includes(status)) throw invalid('status must be INPROGRESS or CLOSED');
    this.save(tenantId, record, { ...record.data, status });
  }

  private save(tenantId: string, record: StoredRecord, data: XeroRecord): void {
    this.store.save(tenantId, TYPE, { ...record, updatedAt: this.clock.now(), data });
  }

  private find(tenantId: string, projectId: string): StoredRecord {
    const record = GUID.test(projectId) ? this.store.get(tenantId, TYPE, projectId) : undefined;
    if (!record) throw SandboxException.notFound();
    return record;
  }

  private validate(tenantId: string, body: XeroRecord, creating: boolean): { name?: string; contactId?: string; estimateAmount?: number; deadlineUtc?: string } {
    if (!body || typeof body !== 'object') throw invalid('The request body must be a JSON object');
    const name = typeof body['name'] === 'string' ? body['name'].trim() : undefined;
    if (creating && !name) throw invalid('The Name field is required.');
    const contactId = typeof body['contactId'] === 'string' ? body['contactId'].toLowerCase() : undefined;
    if (creating && !contactId) throw invalid('The ContactId field is required.');
    if (contactId && !(GUID.test(contactId) && this.store.get(tenantId, 'Contacts', contactId))) throw invalid('Contact not found.');
    const estimate = body['estimateAmount'];
    if (estimate !== undefined && (typeof estimate !== 'number' || !Number.isFinite(estimate) || estimate < 0)) throw invalid('estimateAmount must be a non-negative number');
    let deadlineUtc: string | undefined;
    if (body['deadlineUtc'] !== undefined) {
      const parsed = Date.parse(String(body['deadlineUtc']));
      if (Number.isNaN(parsed)) throw invalid('deadlineUtc must be an ISO-8601 date-time');
      deadlineUtc = new Date(parsed).toISOString().replace('.000Z', 'Z');
    }
    return { name, contactId, estimateAmount: estimate as number | undefined, deadlineUtc };
  }
}
