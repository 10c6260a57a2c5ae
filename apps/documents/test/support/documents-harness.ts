import { createEvent, InvoiceRequestedPayload, LedgerlineEvent, PurchaseOrderRequestedPayload, QuoteRequestedPayload, Topic, Topics } from '@ledgerline/contracts';
import {
  bearerToken,
  ConnectionsStandIn,
  createTestDatabase,
  ensureKafka,
  eventually,
  freePort,
  KafkaProbe,
  migrateService,
  ProbedMessage,
  SandboxOrganisation,
  ServiceProcess,
  startServiceProcess,
  TestDatabase,
  uniqueId,
  XeroJson,
} from '@ledgerline/testing';
import { Client } from 'pg';

export const DOCUMENTS_JWT = { secret: 'documents-int-test-jwt-secret-0123456789abcdef', issuer: 'ledgerline-gateway', audience: 'ledgerline-api' };

export type Outcome = { id: string; correlationId: string; causationId: string; companyId: string; payload: XeroJson & { requestId: string; clientId: string } };

/**
 * The documents service as its own process, on a fresh database, with a sandbox, a connections stand-in and a
 * probe on its topics (namespaced for the test file). Other services (contacts) can be started on the same
 * database and topics with `startService`.
 */
export class DocumentsHarness {
  readonly prefix = `${uniqueId('docs-it-')}.`;
  database!: TestDatabase;
  brokers!: string;
  sandbox!: ServiceProcess;
  connections!: ConnectionsStandIn;
  probe!: KafkaProbe;
  documents!: ServiceProcess;
  db!: Client;
  serviceEnv!: NodeJS.ProcessEnv;
  private requestCounter = 0;

  topic = (name: Topic | string): string => `${this.prefix}${name}`;

  async start(watched: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
    process.env.KAFKA_TOPIC_PREFIX = this.prefix;
    [this.brokers, this.database] = await Promise.all([ensureKafka(), createTestDatabase()]);
    this.connections = new ConnectionsStandIn();
    await this.connections.start();
    this.probe = new KafkaProbe(this.brokers);
    await this.probe.watch(watched.map(this.topic));
    await this.migrate('documents');
    this.db = new Client({ connectionString: this.database.url });
    await this.db.connect();
    this.sandbox = await startServiceProcess({ entry: 'apps/xero-sandbox/src/main.ts', port: await freePort(), env: { SANDBOX_ORGANISATIONS: 'none', LOG_LEVEL: 'warn' }, readyPath: '/health/live' });
    this.serviceEnv = {
      DATABASE_URL: this.database.url,
      KAFKA_BROKERS: this.brokers,
      KAFKA_TOPIC_PREFIX: this.prefix,
      KAFKA_GROUP_SUFFIX: uniqueId('it-'),
      LOG_LEVEL: 'warn',
      XERO_API_BASE_URL: this.sandbox.url,
      CONNECTIONS_INTERNAL_URL: this.connections.url,
      INTERNAL_API_TOKEN: this.connections.internalToken,
      JWT_SECRET: DOCUMENTS_JWT.secret,
      XERO_RETRY_BASE_DELAY_MS: '50',
      XERO_RETRY_MAX_DELAY_MS: '500',
      EVENT_RETRY_BASE_MS: '50',
      ...env,
    };
    this.documents = await this.startService('documents');
  }

  /** Runs a service's migrations on the test database. */
  migrate(service: string): Promise<void> {
    return migrateService(service, this.database.url);
  }

  async startService(service: string, env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    return startServiceProcess({ entry: `apps/${service}/src/main.ts`, port: await freePort(), env: { ...this.serviceEnv, ...env } });
  }

  async stop(...others: (ServiceProcess | undefined)[]): Promise<void> {
    for (const service of others) await service?.stop();
    await this.documents?.stop();
    await this.sandbox?.stop();
    await this.probe?.close();
    await this.connections?.stop();
    await this.db?.end();
    await this.database?.drop();
  }

  /** A company connected to a fresh sandbox organisation (the stand-in hands out its tokens). */
  async connectedCompany(label: string): Promise<{ companyId: string; org: SandboxOrganisation }> {
    const org = await SandboxOrganisation.create(this.sandbox.url, `${label} Ltd`);
    const companyId = uniqueId(`${label}-`);
    this.connections.set(companyId, () => org.token());
    return { companyId, org };
  }

  /** A connected company whose client `client-<label>` is linked to a new contact, ready for invoice requests. */
  async linkedCustomer(label: string): Promise<{ companyId: string; org: SandboxOrganisation; clientId: string }> {
    const { companyId, org } = await this.connectedCompany(label);
    const contactId = await org.createContact(`${label} Customer`);
    await this.publish(Topics.ContactSynced, companyId, { clientId: `client-${label}`, xeroContactId: contactId, contactName: `${label} Customer`, action: 'created' });
    return { companyId, org, clientId: `client-${label}` };
  }

  async publish<T extends Topic>(name: T, companyId: string, payload: LedgerlineEvent<T>['payload']): Promise<LedgerlineEvent<T>> {
    const event = createEvent(name, companyId, payload);
    await this.probe.send(this.topic(name), [{ key: companyId, value: JSON.stringify(event) }]);
    return event;
  }

  async publishMany<T extends Topic>(name: T, companyId: string, payloads: LedgerlineEvent<T>['payload'][]): Promise<void> {
    await this.probe.send(
      this.topic(name),
      payloads.map((payload) => ({ key: companyId, value: JSON.stringify(createEvent(name, companyId, payload)) })),
    );
  }

  invoiceRequest(clientId: string, overrides: Partial<InvoiceRequestedPayload> = {}): InvoiceRequestedPayload {
    this.requestCounter += 1;
    return {
      requestId: `req-${this.requestCounter}-${uniqueId('')}`,
      clientId,
      lineItems: [{ description: 'Call-out', quantity: '1', unitAmount: '65.00', accountCode: '200', taxType: 'OUTPUT2' }],
      reference: `REF-${this.requestCounter}`,
      date: '2026-03-01',
      dueDate: '2026-03-20',
      currencyCode: 'NZD',
      status: 'AUTHORISED',
      ...overrides,
    } as InvoiceRequestedPayload;
  }

  quoteRequest(clientId: string, overrides: Partial<QuoteRequestedPayload> = {}): QuoteRequestedPayload {
    this.requestCounter += 1;
    return {
      requestId: `quote-${this.requestCounter}-${uniqueId('')}`,
      clientId,
      lineItems: [{ description: 'Deck rebuild', quantity: '1', unitAmount: '1200.00', accountCode: '200', taxType: 'OUTPUT2' }],
      reference: `Q-${this.requestCounter}`,
      date: '2026-03-01',
      expiryDate: '2026-03-31',
      title: 'Deck rebuild',
      currencyCode: 'NZD',
      status: 'SENT',
      ...overrides,
    } as QuoteRequestedPayload;
  }

  purchaseOrderRequest(supplierId: string, overrides: Partial<PurchaseOrderRequestedPayload> = {}): PurchaseOrderRequestedPayload {
    this.requestCounter += 1;
    return {
      requestId: `po-${this.requestCounter}-${uniqueId('')}`,
      clientId: supplierId,
      lineItems: [{ description: 'Hardwood decking', quantity: '20', unitAmount: '12.50', accountCode: '310', taxType: 'INPUT2' }],
      reference: `PO-REF-${this.requestCounter}`,
      date: '2026-03-01',
      deliveryDate: '2026-03-05',
      deliveryAddress: '12 Wharf Road, Auckland',
      currencyCode: 'NZD',
      status: 'AUTHORISED',
      ...overrides,
    } as PurchaseOrderRequestedPayload;
  }

  /** Every record of a collection (Quotes, PurchaseOrders, ...) of the organisation, read through the accounting API. */
  async xeroList(org: SandboxOrganisation, collection: string): Promise<XeroJson[]> {
    const { accessToken, tenantId } = await org.token();
    const all: XeroJson[] = [];
    for (let page = 1; ; page++) {
      const response = await fetch(`${this.sandbox.url}/api.xro/2.0/${collection}?page=${page}`, { headers: { authorization: `Bearer ${accessToken}`, 'xero-tenant-id': tenantId } });
      if (!response.ok) throw new Error(`GET ${collection}: ${response.status} ${await response.text()}`);
      const records = ((await response.json()) as XeroJson)[collection] as XeroJson[] | undefined;
      all.push(...(records ?? []));
      if (!records || records.length < 100) return all;
    }
  }

  /** The documents REST API as a member of the company's staff. */
  async rest(method: string, path: string, companyId: string, body?: unknown): Promise<{ status: number; body: XeroJson }> {
    const response = await fetch(`${this.documents.url}${path}`, {
      method,
      headers: {
        authorization: bearerToken(DOCUMENTS_JWT, { sub: `user-${companyId}`, companyId, role: 'accountant' }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as XeroJson) : {} };
  }

  outcomes(name: Topic, companyId: string): Outcome[] {
    return this.probe
      .on(this.topic(name))
      .map((m: ProbedMessage) => m.json<Outcome>())
      .filter((e) => e.companyId === companyId);
  }

  outcomeFor(name: Topic, companyId: string, requestId: string, timeoutMs = 30_000): Promise<Outcome> {
    return eventually(`${name} for ${requestId}`, () => this.outcomes(name, companyId).find((e) => e.payload.requestId === requestId), timeoutMs);
  }

  async rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query(sql, params)).rows as T[];
  }
}
