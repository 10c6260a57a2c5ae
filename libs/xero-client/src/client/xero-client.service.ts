import { Contact, Contacts, Invoice, Invoices, Organisation, Payment, PurchaseOrder, PurchaseOrders, Quote, Quotes } from 'xero-node';
import { Project, ProjectCreateOrUpdate, ProjectStatus, ProjectUser, Task, TaskCreateOrUpdate } from 'xero-node/dist/gen/model/projects/models';
import { BatchElementResult, chunk, mapBatchElements, mapBatchFailure, XERO_MAX_BATCH_SIZE } from '../batch/batch-result';
import { XeroClientException } from '../errors/xero-client.exception';
import { XeroErrorCode } from '../errors/xero-error-code';
import { idempotencyKey as deriveKey } from '../retry/idempotency-key';
import { Page, PageQuery, allPages, pageOf, pageParams, whereString } from './paging';
import { XeroJson } from './xero-apis';
import { XeroApiCall, XeroCallExecutor } from './xero-call-executor';

export interface WriteOptions {
  /**
   * Derived from the event or request that caused the write (see `idempotencyKey()`), so a retry or a
   * redelivery sends the same key. Without it a write is never repeated.
   */
  idempotencyKey?: string;
}

export interface ContactQuery extends PageQuery {
  where?: string;
  includeArchived?: boolean;
}

/** A contact as Xero's JSON has it (PascalCase, dates as `/Date(…)/`); only the fields callers read are typed. */
export interface XeroContactJson {
  ContactID?: string;
  ContactNumber?: string;
  ContactStatus?: string;
  MergedToContactID?: string;
  Name?: string;
  FirstName?: string;
  LastName?: string;
  EmailAddress?: string;
  TaxNumber?: string;
  AccountNumber?: string;
  UpdatedDateUTC?: string;
  Phones?: { PhoneType?: string; PhoneNumber?: string }[];
  Addresses?: {
    AddressType?: string;
    AddressLine1?: string;
    AddressLine2?: string;
    City?: string;
    Region?: string;
    PostalCode?: string;
    Country?: string;
  }[];
}

/** A page read from Xero's JSON: the caller's records, and how many Xero sent (some may have been left out). */
export interface JsonPage<T> extends Page<T> {
  received: number;
}

export interface InvoiceQuery extends PageQuery {
  ids?: string[];
  statuses?: Array<Invoice.StatusEnum | `${Invoice.StatusEnum}`>;
  where?: string;
}

export interface PaymentQuery extends PageQuery {
  where?: string;
}

export type CancelledInvoiceStatus = 'DELETED' | 'VOIDED';

export interface QuoteQuery {
  ifModifiedSince?: Date;
  /** YYYY-MM-DD, inclusive. */
  dateFrom?: string;
  dateTo?: string;
  contactId?: string;
  status?: string;
  page?: number;
}

export interface PurchaseOrderQuery extends PageQuery {
  status?: 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'BILLED' | 'DELETED';
  /** YYYY-MM-DD, inclusive. */
  dateFrom?: string;
  dateTo?: string;
}

/**
 * Ledgerline's contracts carry unit amounts to 4 decimal places; without `unitdp=4` Xero rounds them to 2
 * on the way in and out, and the line totals would differ from what was requested.
 */
const UNIT_DECIMAL_PLACES = 4;

/** Xero's IDs filter travels in the query string; keep each request's URL well under common limits. */
const IDS_PER_REQUEST = 50;

/**
 * Every Ledgerline call to Xero. Each method takes the company; the organisation comes from that company's
 * token, so one company's call cannot reach another company's organisation.
 */
export class XeroClientService {
  constructor(private readonly executor: XeroCallExecutor) {}

  // Contacts

  createContacts(companyId: string, contacts: Contact[], options: WriteOptions = {}): Promise<BatchElementResult<Contact>[]> {
    return this.writeBatch(companyId, 'createContacts', contacts, options, (batch, key) => ({ apis, tenantId }) =>
      apis.accounting.createContacts(tenantId, { contacts: batch } as Contacts, false, key).then(({ response, body }) => ({ response, body: body.contacts })),
    );
  }

  async updateContact(companyId: string, contactId: string, contact: Contact, options: WriteOptions = {}): Promise<Contact> {
    const contacts = await this.write(companyId, 'updateContact', options, ({ apis, tenantId }) =>
      apis.accounting.updateContact(tenantId, contactId, { contacts: [contact] } as Contacts, options.idempotencyKey),
    );
    return single(contacts.contacts, 'contact');
  }

  async findContactsByEmail(companyId: string, email: string): Promise<Contact[]> {
    return (await this.listContacts(companyId, { where: `EmailAddress==${whereString(email)}`, includeArchived: false })).items;
  }

  async findContactsByName(companyId: string, name: string): Promise<Contact[]> {
    return (await this.listContacts(companyId, { where: `Name==${whereString(name)}`, includeArchived: false })).items;
  }

  async listContacts(companyId: string, query: ContactQuery = {}): Promise<Page<Contact>> {
    const { page, pageSize } = pageParams(query);
    const body = await this.read(companyId, 'getContacts', ({ apis, tenantId }) =>
      apis.accounting.getContacts(tenantId, query.ifModifiedSince, query.where, undefined, undefined, page, query.includeArchived, undefined, undefined, pageSize),
    );
    return pageOf(body.contacts, page, pageSize, body.pagination);
  }

  /**
   * One page of contacts, as listContacts, read from Xero's JSON and handed to `map` one by one (those it answers
   * undefined for are left out): a page of 1,000 is never also built as xero-node's models, which took most of a
   * large read's memory and time.
   */
  async listContactsJson<T>(companyId: string, query: ContactQuery, map: (contact: XeroContactJson) => T | undefined): Promise<JsonPage<T>> {
    const { page, pageSize } = pageParams(query);
    const body = await this.read(companyId, 'getContacts', ({ apis, tenantId }) =>
      apis.accountingJson
        .getContacts(tenantId, query.ifModifiedSince, query.where, undefined, undefined, page, query.includeArchived, undefined, undefined, pageSize)
        .then(({ response }) => {
          const json = jsonOf(response.data, 'getContacts') as { Contacts?: XeroContactJson[]; pagination?: { pageCount?: number } };
          // axios's response can outlive the call (its socket goes back to the pool with it): it must not hold the page.
          response.data = undefined;
          return { response, body: json };
        }),
    );
    const received = body.Contacts ?? [];
    const items: T[] = [];
    for (const contact of received) {
      const item = map(contact);
      if (item !== undefined) items.push(item);
    }
    return { ...pageOf(received, page, pageSize, body.pagination), items, received: received.length };
  }

  iterateContacts(companyId: string, query: ContactQuery = {}): AsyncGenerator<Contact[], void, void> {
    return allPages((q) => this.listContacts(companyId, q), query);
  }

  async getContactsByIds(companyId: string, contactIds: string[]): Promise<Contact[]> {
    const found: Contact[] = [];
    for (const ids of chunk(contactIds, IDS_PER_REQUEST)) {
      const body = await this.read(companyId, 'getContacts', ({ apis, tenantId }) =>
        apis.accounting.getContacts(tenantId, undefined, undefined, undefined, ids, undefined, true),
      );
      found.push(...(body.contacts ?? []));
    }
    return found;
  }

  // Invoices

  createInvoices(companyId: string, invoices: Invoice[], options: WriteOptions = {}): Promise<BatchElementResult<Invoice>[]> {
    return this.writeBatch(companyId, 'createInvoices', invoices, options, (batch, key) => ({ apis, tenantId }) =>
      apis.accounting.createInvoices(tenantId, { invoices: batch } as Invoices, false, UNIT_DECIMAL_PLACES, key).then(({ response, body }) => ({ response, body: body.invoices })),
    );
  }

  async getInvoice(companyId: string, invoiceId: string): Promise<Invoice> {
    const body = await this.read(companyId, 'getInvoice', ({ apis, tenantId }) => apis.accounting.getInvoice(tenantId, invoiceId, UNIT_DECIMAL_PLACES));
    return single(body.invoices, 'invoice');
  }

  async listInvoices(companyId: string, query: InvoiceQuery = {}): Promise<Page<Invoice>> {
    const { page, pageSize } = pageParams(query);
    const body = await this.read(companyId, 'getInvoices', ({ apis, tenantId }) =>
      apis.accounting.getInvoices(
        tenantId,
        query.ifModifiedSince,
        query.where,
        undefined,
        query.ids,
        undefined,
        undefined,
        query.statuses as string[] | undefined,
        page,
        undefined,
        undefined,
        UNIT_DECIMAL_PLACES,
        undefined,
        pageSize,
      ),
    );
    return pageOf(body.invoices, page, pageSize, body.pagination);
  }

  iterateInvoices(companyId: string, query: InvoiceQuery = {}): AsyncGenerator<Invoice[], void, void> {
    return allPages((q) => this.listInvoices(companyId, q), query);
  }

  /** DRAFT/SUBMITTED invoices are DELETED, AUTHORISED ones VOIDED; Xero refuses the wrong one with VALIDATION. */
  async updateInvoiceStatus(companyId: string, invoiceId: string, status: CancelledInvoiceStatus, options: WriteOptions = {}): Promise<Invoice> {
    const invoice = { invoiceID: invoiceId, status: status as unknown as Invoice.StatusEnum } as Invoice;
    const body = await this.write(companyId, 'updateInvoice', options, ({ apis, tenantId }) =>
      apis.accounting.updateInvoice(tenantId, invoiceId, { invoices: [invoice] } as Invoices, UNIT_DECIMAL_PLACES, options.idempotencyKey),
    );
    return single(body.invoices, 'invoice');
  }

  // Quotes and purchase orders

  createQuotes(companyId: string, quotes: Quote[], options: WriteOptions = {}): Promise<BatchElementResult<Quote>[]> {
    return this.writeBatch(companyId, 'createQuotes', quotes, options, (batch, key) => ({ apis, tenantId }) =>
      apis.accounting.createQuotes(tenantId, { quotes: batch } as Quotes, false, key).then(({ response, body }) => ({ response, body: body.quotes })),
    );
  }

  createPurchaseOrders(companyId: string, purchaseOrders: PurchaseOrder[], options: WriteOptions = {}): Promise<BatchElementResult<PurchaseOrder>[]> {
    return this.writeBatch(companyId, 'createPurchaseOrders', purchaseOrders, options, (batch, key) => ({ apis, tenantId }) =>
      apis.accounting
        .createPurchaseOrders(tenantId, { purchaseOrders: batch } as PurchaseOrders, false, key)
        .then(({ response, body }) => ({ response, body: body.purchaseOrders })),
    );
  }

  /** One page of quotes (Xero pages quotes by 100 and takes no page size or where filter for them). */
  async listQuotes(companyId: string, query: QuoteQuery = {}): Promise<Quote[]> {
    const body = await this.read(companyId, 'getQuotes', ({ apis, tenantId }) =>
      apis.accounting.getQuotes(tenantId, query.ifModifiedSince, query.dateFrom, query.dateTo, undefined, undefined, query.contactId, query.status, query.page ?? 1),
    );
    return body.quotes ?? [];
  }

  async listPurchaseOrders(companyId: string, query: PurchaseOrderQuery = {}): Promise<Page<PurchaseOrder>> {
    const { page, pageSize } = pageParams(query);
    const body = await this.read(companyId, 'getPurchaseOrders', ({ apis, tenantId }) =>
      apis.accounting.getPurchaseOrders(tenantId, query.ifModifiedSince, query.status, query.dateFrom, query.dateTo, undefined, page, pageSize),
    );
    return pageOf(body.purchaseOrders, page, pageSize, body.pagination);
  }

  async getQuote(companyId: string, quoteId: string): Promise<Quote> {
    const body = await this.read(companyId, 'getQuote', ({ apis, tenantId }) => apis.accounting.getQuote(tenantId, quoteId));
    return single(body.quotes, 'quote');
  }

  async getPurchaseOrder(companyId: string, purchaseOrderId: string): Promise<PurchaseOrder> {
    const body = await this.read(companyId, 'getPurchaseOrder', ({ apis, tenantId }) => apis.accounting.getPurchaseOrder(tenantId, purchaseOrderId));
    return single(body.purchaseOrders, 'purchase order');
  }

  /** Xero deletes a quote, or marks an accepted one invoiced, by setting its status. */
  async updateQuoteStatus(companyId: string, quoteId: string, status: 'DELETED' | 'INVOICED', options: WriteOptions = {}): Promise<Quote> {
    const current = await this.getQuote(companyId, quoteId);
    // Xero's quote update requires the contact and date with the new status.
    const quote = { quoteID: quoteId, status, contact: { contactID: current.contact?.contactID }, date: current.date } as unknown as Quote;
    const body = await this.write(companyId, 'updateQuote', options, ({ apis, tenantId }) =>
      apis.accounting.updateQuote(tenantId, quoteId, { quotes: [quote] } as Quotes, options.idempotencyKey),
    );
    return single(body.quotes, 'quote');
  }

  /** Xero deletes a purchase order by setting its status; a BILLED one cannot be deleted. */
  async updatePurchaseOrderStatus(companyId: string, purchaseOrderId: string, status: 'DELETED', options: WriteOptions = {}): Promise<PurchaseOrder> {
    const order = { purchaseOrderID: purchaseOrderId, status } as unknown as PurchaseOrder;
    const body = await this.write(companyId, 'updatePurchaseOrder', options, ({ apis, tenantId }) =>
      apis.accounting.updatePurchaseOrder(tenantId, purchaseOrderId, { purchaseOrders: [order] } as PurchaseOrders, options.idempotencyKey),
    );
    return single(body.purchaseOrders, 'purchase order');
  }

  // Payments

  async listPayments(companyId: string, query: PaymentQuery = {}): Promise<Page<Payment>> {
    const { page, pageSize } = pageParams(query);
    const body = await this.read(companyId, 'getPayments', ({ apis, tenantId }) =>
      apis.accounting.getPayments(tenantId, query.ifModifiedSince, query.where, undefined, page, pageSize),
    );
    return pageOf(body.payments, page, pageSize, body.pagination);
  }

  iteratePayments(companyId: string, query: PaymentQuery = {}): AsyncGenerator<Payment[], void, void> {
    return allPages((q) => this.listPayments(companyId, q), query);
  }

  async getPayment(companyId: string, paymentId: string): Promise<Payment> {
    const body = await this.read(companyId, 'getPayment', ({ apis, tenantId }) => apis.accounting.getPayment(tenantId, paymentId));
    return single(body.payments, 'payment');
  }

  // Projects

  createProject(companyId: string, project: ProjectCreateOrUpdate, options: WriteOptions = {}): Promise<Project> {
    return this.write(companyId, 'createProject', options, ({ apis, tenantId }) =>
      apis.projects.createProject(tenantId, project, options.idempotencyKey),
    );
  }

  getProject(companyId: string, projectId: string): Promise<Project> {
    return this.read(companyId, 'getProject', ({ apis, tenantId }) => apis.projects.getProject(tenantId, projectId));
  }

  /** One page of projects (the Projects API pages by up to 500), optionally only one contact's. */
  async listProjects(companyId: string, query: { contactId?: string; page?: number; pageSize?: number } = {}): Promise<Page<Project>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 100;
    const body = await this.read(companyId, 'getProjects', ({ apis, tenantId }) => apis.projects.getProjects(tenantId, undefined, query.contactId, undefined, page, pageSize));
    return pageOf(body.items, page, pageSize, body.pagination);
  }

  /** Xero's PUT replaces the project's contact, name, deadline and estimate; it answers 204. */
  async updateProject(companyId: string, projectId: string, project: ProjectCreateOrUpdate, options: WriteOptions = {}): Promise<void> {
    await this.write(companyId, 'updateProject', options, ({ apis, tenantId }) =>
      apis.projects.updateProject(tenantId, projectId, project, options.idempotencyKey).then(({ response }) => ({ response, body: undefined })),
    );
  }

  /** Every task of a project (pages of 500). */
  async listProjectTasks(companyId: string, projectId: string): Promise<Task[]> {
    const tasks: Task[] = [];
    for (let page = 1; ; page++) {
      const body = await this.read(companyId, 'getTasks', ({ apis, tenantId }) => apis.projects.getTasks(tenantId, projectId, page, 500));
      tasks.push(...(body.items ?? []));
      if (!pageOf(body.items, page, 500, body.pagination).hasMore) return tasks;
    }
  }

  createProjectTask(companyId: string, projectId: string, task: TaskCreateOrUpdate, options: WriteOptions = {}): Promise<Task> {
    return this.write(companyId, 'createTask', options, ({ apis, tenantId }) => apis.projects.createTask(tenantId, projectId, task, options.idempotencyKey));
  }

  /** Every user of the organisation with access to projects (pages of 500). */
  async listProjectUsers(companyId: string): Promise<ProjectUser[]> {
    const users: ProjectUser[] = [];
    for (let page = 1; ; page++) {
      const body = await this.read(companyId, 'getProjectUsers', ({ apis, tenantId }) => apis.projects.getProjectUsers(tenantId, page, 500));
      users.push(...(body.items ?? []));
      if (!pageOf(body.items, page, 500, body.pagination).hasMore) return users;
    }
  }

  async updateProjectStatus(companyId: string, projectId: string, status: ProjectStatus | `${ProjectStatus}`, options: WriteOptions = {}): Promise<void> {
    await this.write(companyId, 'patchProject', options, ({ apis, tenantId }) =>
      apis.projects
        .patchProject(tenantId, projectId, { status: status as ProjectStatus }, options.idempotencyKey)
        .then(({ response }) => ({ response, body: undefined })),
    );
  }

  // Organisation

  async getOrganisation(companyId: string): Promise<Organisation> {
    const body = await this.read(companyId, 'getOrganisations', ({ apis, tenantId }) => apis.accounting.getOrganisations(tenantId));
    return single(body.organisations, 'organisation');
  }

  private read<T>(companyId: string, operation: string, call: XeroApiCall<T>): Promise<T> {
    return this.executor.run(companyId, { operation, write: false }, call);
  }

  private write<T>(companyId: string, operation: string, options: WriteOptions, call: XeroApiCall<T>): Promise<T> {
    return this.executor.run(companyId, { operation, write: true, idempotencyKey: options.idempotencyKey }, call);
  }

  /**
   * Splits a batch into requests of at most 50, each with summarizeErrors=false, and returns one result per
   * requested element in request order. Each request gets its own key derived from the caller's key and its
   * position, so repeating the whole batch replays every request under the same key.
   */
  private async writeBatch<T>(
    companyId: string,
    operation: string,
    items: T[],
    options: WriteOptions,
    request: (batch: T[], key: string | undefined) => XeroApiCall<T[] | undefined>,
  ): Promise<BatchElementResult<T>[]> {
    const results: BatchElementResult<T>[] = [];
    const batches = chunk(items, XERO_MAX_BATCH_SIZE);
    for (const [n, batch] of batches.entries()) {
      const offset = n * XERO_MAX_BATCH_SIZE;
      const key = options.idempotencyKey === undefined ? undefined : batches.length === 1 ? options.idempotencyKey : deriveKey(options.idempotencyKey, 'batch', n);
      try {
        const returned = await this.executor.run(companyId, { operation, write: true, idempotencyKey: key }, request(batch, key));
        results.push(...mapBatchElements(batch.length, returned, offset));
      } catch (error) {
        if (error instanceof XeroClientException && error.code === XeroErrorCode.Validation && error.status === 400) {
          results.push(...mapBatchFailure<T>(batch.length, error, offset));
          continue;
        }
        throw error;
      }
    }
    return results;
  }
}

function single<T>(items: T[] | undefined, what: string): T {
  const item = items?.[0];
  if (item === undefined) {
    throw new XeroClientException({ code: XeroErrorCode.NotFound, retriable: false, message: `Xero returned no ${what}` });
  }
  return item;
}

/** The JSON object of an `accountingJson` answer; a 2xx that is not one is Xero failing (retried like a 5xx). */
function jsonOf(data: unknown, operation: string): object {
  const value = data instanceof XeroJson ? data.value : undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new XeroClientException({ code: XeroErrorCode.Upstream, retriable: true, message: `Xero answered ${operation} with a body that is not a JSON object` });
  }
  return value;
}
