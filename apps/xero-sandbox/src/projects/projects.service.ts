import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { randomUUID } from 'node:crypto';
import { ClockService } from '../clock/clock.service';
import { SandboxException } from '../common/sandbox.exception';
import { GUID } from '../common/xero-json';
import { OrganisationsService } from '../organisations/organisations.service';
import { ResourceStore, StoredRecord, XeroRecord } from '../store/resource-store.service';

const TYPE = 'Projects';
const TASKS = 'ProjectTasks';
const USERS = 'ProjectsUsers';
const STATUSES = ['INPROGRESS', 'CLOSED'];
const CHARGE_TYPES = ['TIME', 'FIXED', 'NON_CHARGEABLE'];
const TASK_AMOUNT_FIELDS = ['totalAmount', 'amountToBeInvoiced', 'amountInvoiced'];
const TASK_MINUTE_FIELDS = ['totalMinutes', 'minutesToBeInvoiced', 'minutesInvoiced', 'nonChargeableMinutes', 'fixedMinutes'];
const AMOUNT_FIELDS = ['totalTaskAmount', 'totalExpenseAmount', 'taskAmountToBeInvoiced', 'taskAmountInvoiced', 'expenseAmountToBeInvoiced', 'expenseAmountInvoiced', 'projectAmountInvoiced', 'deposit', 'depositApplied', 'creditNoteAmount', 'totalInvoiced', 'totalToBeInvoiced'];

function invalid(message: string): SandboxException {
  return SandboxException.validation([{ ValidationErrors: [{ Message: message }] }]);
}

/** The Projects API's paging: `page` from 1, `pageSize` 1–500 (default 50). */
function paged(items: XeroRecord[], query: Record<string, string | undefined>): XeroRecord {
  const page = Math.max(1, Number.parseInt(query['page'] ?? '1', 10) || 1);
  const pageSize = Math.min(500, Math.max(1, Number.parseInt(query['pageSize'] ?? '50', 10) || 50));
  const itemCount = items.length;
  return { pagination: { page, pageSize, pageCount: Math.ceil(itemCount / pageSize), itemCount }, items: items.slice((page - 1) * pageSize, page * pageSize) };
}

/**
 * api.xero.com/projects.xro/2.0: projects (create, list by ids, contact and states, get, update, status), their
 * tasks, and the organisation's projects users. Errors take the Projects API's `{message, modelState}` shape.
 */
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
      estimateAmount: amount(fields.estimateAmount ?? 0),
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
    return paged(records.map((r) => r.data), query);
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
    if (fields.estimateAmount !== undefined) {
      const estimate = { currency: data['currencyCode'], value: new Decimal(fields.estimateAmount).toDecimalPlaces(2).toNumber() };
      data['estimate'] = estimate;
      data['estimateAmount'] = estimate;
    }
    this.save(tenantId, record, data);
  }

  patch(tenantId: string, projectId: string, body: XeroRecord): void {
    const record = this.find(tenantId, projectId);
    const status = typeof body['status'] === 'string' ? body['status'].toUpperCase() : undefined;
    if (!status || !STATUSES.includes(status)) throw invalid('status must be INPROGRESS or CLOSED');
    this.save(tenantId, record, { ...record.data, status });
  }

  // Tasks

  createTask(tenantId: string, projectId: string, body: XeroRecord): XeroRecord {
    const project = this.find(tenantId, projectId);
    const fields = this.validateTask(project, body);
    const currency = String(project.data['currencyCode']);
    const now = this.clock.now();
    const task: XeroRecord = {
      taskId: randomUUID(),
      projectId: project.id,
      name: fields.name,
      rate: { currency, value: fields.rate },
      chargeType: fields.chargeType,
      estimateMinutes: fields.estimateMinutes ?? 0,
      status: 'ACTIVE',
      ...Object.fromEntries(TASK_MINUTE_FIELDS.map((f) => [f, 0])),
      ...Object.fromEntries(TASK_AMOUNT_FIELDS.map((f) => [f, { currency, value: 0 }])),
    };
    this.store.save(tenantId, TASKS, { id: String(task['taskId']), createdAt: now, updatedAt: now, data: task });
    return task;
  }

  listTasks(tenantId: string, projectId: string, query: Record<string, string | undefined>): XeroRecord {
    const project = this.find(tenantId, projectId);
    let records = this.store.list(tenantId, TASKS).filter((r) => r.data['projectId'] === project.id);
    const ids = query['taskIds']?.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
    if (ids?.length) records = records.filter((r) => ids.includes(r.id.toLowerCase()));
    const chargeType = query['chargeType']?.toUpperCase();
    if (chargeType) {
      if (!CHARGE_TYPES.includes(chargeType)) throw invalid(`Unknown chargeType ${chargeType}`);
      records = records.filter((r) => r.data['chargeType'] === chargeType);
    }
    return paged(records.map((r) => r.data), query);
  }

  getTask(tenantId: string, projectId: string, taskId: string): XeroRecord {
    return this.findTask(tenantId, this.find(tenantId, projectId), taskId).data;
  }

  updateTask(tenantId: string, projectId: string, taskId: string, body: XeroRecord): void {
    const project = this.find(tenantId, projectId);
    const task = this.findTask(tenantId, project, taskId);
    if (task.data['status'] !== 'ACTIVE') throw invalid(`A task that is ${String(task.data['status'])} cannot be modified.`);
    const fields = this.validateTask(project, body);
    const data: XeroRecord = { ...task.data, name: fields.name, rate: { currency: project.data['currencyCode'], value: fields.rate }, chargeType: fields.chargeType };
    if (fields.estimateMinutes !== undefined) data['estimateMinutes'] = fields.estimateMinutes;
    this.store.save(tenantId, TASKS, { ...task, updatedAt: this.clock.now(), data });
  }

  // Projects users

  listUsers(tenantId: string, query: Record<string, string | undefined>): XeroRecord {
    this.organisations.require(tenantId);
    return paged(this.store.list(tenantId, USERS).map((r) => r.data), query);
  }

  /** A user of the organisation with access to projects (test API: Xero users are invited in the Xero app). */
  addUser(tenantId: string, name: string, email: string): XeroRecord {
    this.organisations.require(tenantId);
    const now = this.clock.now();
    const user: XeroRecord = { userId: randomUUID(), name, email };
    this.store.save(tenantId, USERS, { id: String(user['userId']), createdAt: now, updatedAt: now, data: user });
    return user;
  }

  private save(tenantId: string, record: StoredRecord, data: XeroRecord): void {
    this.store.save(tenantId, TYPE, { ...record, updatedAt: this.clock.now(), data });
  }

  private find(tenantId: string, projectId: string): StoredRecord {
    const record = GUID.test(projectId) ? this.store.get(tenantId, TYPE, projectId) : undefined;
    if (!record) throw SandboxException.notFound();
    return record;
  }

  private findTask(tenantId: string, project: StoredRecord, taskId: string): StoredRecord {
    const record = GUID.test(taskId) ? this.store.get(tenantId, TASKS, taskId) : undefined;
    if (!record || record.data['projectId'] !== project.id) throw SandboxException.notFound();
    return record;
  }

  private validateTask(project: StoredRecord, body: XeroRecord): { name: string; rate: number; chargeType: string; estimateMinutes?: number } {
    if (!body || typeof body !== 'object') throw invalid('The request body must be a JSON object');
    if (project.data['status'] === 'CLOSED') throw invalid('Tasks cannot be added to or changed on a closed project.');
    const problems: string[] = [];
    const name = typeof body['name'] === 'string' ? body['name'].trim() : '';
    if (!name) problems.push('The Name field is required.');
    else if (name.length > 100) problems.push('The Name field must be at most 100 characters.');
    const rate = body['rate'] as XeroRecord | undefined;
    const value = rate && typeof rate === 'object' ? rate['value'] : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) problems.push('The Rate field is required: { currency, value } with a non-negative value.');
    else if (rate?.['currency'] !== undefined && rate['currency'] !== project.data['currencyCode']) problems.push(`The rate's currency must be the project's (${String(project.data['currencyCode'])}).`);
    const chargeType = typeof body['chargeType'] === 'string' ? body['chargeType'].toUpperCase() : '';
    if (!CHARGE_TYPES.includes(chargeType)) problems.push('The ChargeType field must be TIME, FIXED or NON_CHARGEABLE.');
    const estimateMinutes = body['estimateMinutes'];
    if (estimateMinutes !== undefined && !(Number.isInteger(estimateMinutes) && (estimateMinutes as number) >= 0)) problems.push('estimateMinutes must be a whole number of minutes.');
    if (problems.length > 0) throw SandboxException.validation([{ ValidationErrors: problems.map((Message) => ({ Message })) }]);
    return { name, rate: new Decimal(value as number).toDecimalPlaces(2).toNumber(), chargeType, estimateMinutes: estimateMinutes as number | undefined };
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
