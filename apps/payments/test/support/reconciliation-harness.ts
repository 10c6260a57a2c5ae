import { createEvent, LedgerlineEvent, Topic, Topics } from '@ledgerline/contracts';
import {
  bearerToken,
  ConnectionsStandIn,
  createTestDatabase,
  ensureKafka,
  eventually,
  freePort,
  JwtSettings,
  KafkaProbe,
  migrateService,
  SandboxOrganisation,
  ServiceProcess,
  startServiceProcess,
  TestDatabase,
  uniqueId,
  XeroJson,
} from '@ledgerline/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** Every event reconciliation announces. */
export const OUTCOME_TOPICS = [
  Topics.PaymentRecorded,
  Topics.PaymentReversed,
  Topics.InvoicePaid,
  Topics.InvoicePartiallyPaid,
  Topics.InvoiceUnpaid,
  Topics.CreditAllocated,
  Topics.CreditUnallocated,
  Topics.InvoiceVoided,
  Topics.InvoiceDeleted,
] as const;

export type Announced = { id: string; type: string; companyId: string; correlationId: string; causationId: string | null; payload: Record<string, string> };

const WEBHOOK_KEY = 'reconciliation-int-test-webhook-key-0123';

/**
 * The payments service as its own process on a fresh database, with a sandbox that sends it signed webhooks, a
 * connections stand-in for tokens and a probe on reconciliation's events (namespaced for the test file).
 * invoice.created and xero.connection.connected are published as the documents and connections services would.
 */
export class ReconciliationHarness {
  readonly prefix = `${uniqueId('recon-it-')}.`;
  readonly jwt: JwtSettings = { secret: 'reconciliation-int-test-jwt-secret-0123456789', issuer: 'ledgerline-gateway', audience: 'ledgerline-api' };
  database!: TestDatabase;
  brokers!: string;
  sandbox!: ServiceProcess;
  connections!: ConnectionsStandIn;
  probe!: KafkaProbe;
  payments!: ServiceProcess;
  db!: Client;
  private serviceEnv!: NodeJS.ProcessEnv;

  topic = (name: Topic | string): string => `${this.prefix}${name}`;

  async start(env: NodeJS.ProcessEnv): Promise<void> {
    process.env.KAFKA_TOPIC_PREFIX = this.prefix;
    [this.brokers, this.database] = await Promise.all([ensureKafka(), createTestDatabase()]);
    this.connections = new ConnectionsStandIn();
    await this.connections.start();
    this.probe = new KafkaProbe(this.brokers);
    await this.probe.watch(OUTCOME_TOPICS.map(this.topic));
    await migrateService('payments', this.database.url);
    this.db = new Client({ connectionString: this.database.url });
    await this.db.connect();
    this.sandbox = await startServiceProcess({ entry: 'apps/xero-sandbox/src/main.ts', port: await freePort(), env: { SANDBOX_ORGANISATIONS: 'none', LOG_LEVEL: 'warn' }, readyPath: '/health/live' });
    this.serviceEnv = {
      DATABASE_URL: this.database.url,
      KAFKA_BROKERS: this.brokers,
      KAFKA_TOPIC_PREFIX: this.prefix,
      KAFKA_GROUP_SUFFIX: uniqueId('it-'),
      LOG_LEVEL: 'warn',
      XERO_WEBHOOK_KEY: WEBHOOK_KEY,
      WEBHOOK_PROCESS_INTERVAL_MS: '100',
      XERO_API_BASE_URL: this.sandbox.url,
      CONNECTIONS_INTERNAL_URL: this.connections.url,
      INTERNAL_API_TOKEN: this.connections.internalToken,
      JWT_SECRET: this.jwt.secret,
      XERO_RETRY_BASE_DELAY_MS: '50',
      XERO_RETRY_MAX_DELAY_MS: '500',
      EVENT_RETRY_BASE_MS: '50',
      OPERATIONS_INTERVAL_MS: '100',
      OPERATIONS_LINGER_MS: '50',
      ...env,
    };
    this.payments = await this.startPayments();
    await this.webhooks(true);
  }

  startPayments(env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    return freePort().then((port) => startServiceProcess({ entry: 'apps/payments/src/main.ts', port, env: { ...this.serviceEnv, ...env } }));
  }

  /** The payments service again, with other settings (same database, topics and consumer group). */
  async restartPayments(env: NodeJS.ProcessEnv): Promise<void> {
    await this.payments.stop();
    this.payments = await this.startPayments(env);
    await this.webhooks(true);
  }

  /** The sandbox's webhooks to the payments service, or switched off. */
  async webhooks(on: boolean): Promise<void> {
    const response = await fetch(`${this.sandbox.url}/__sandbox/webhooks`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(on ? { url: `${this.payments.url}/v1/webhooks/xero`, key: WEBHOOK_KEY, batchDelayMs: 50 } : { url: '' }),
    });
    if (!response.ok) throw new Error(`configuring the sandbox's webhooks: ${response.status} ${await response.text()}`);
  }

  async stop(): Promise<void> {
    await this.payments?.stop();
    await this.sandbox?.stop();
    await this.probe?.close();
    await this.connections?.stop();
    await this.db?.end();
    await this.database?.drop();
  }

  async publish<T extends Topic>(name: T, companyId: string, payload: LedgerlineEvent<T>['payload']): Promise<LedgerlineEvent<T>> {
    const event = createEvent(name, companyId, payload);
    await this.probe.send(this.topic(name), [{ key: companyId, value: JSON.stringify(event) }]);
    return event;
  }

  /** A company connected to the organisation (the stand-in hands out its tokens), as payments learns it. */
  async connect(companyId: string, org: SandboxOrganisation): Promise<void> {
    this.connections.set(companyId, () => org.token());
    const connectionId = randomUUID();
    await this.publish(Topics.XeroConnectionConnected, companyId, { connectionId, tenantId: org.tenantId, organisationName: org.name, connectedBy: `admin@${companyId}` });
    await eventually(`${companyId} linked`, async () => (await this.rows(`SELECT 1 FROM payments.xero_tenant_links WHERE company_id = $1 AND connection_id = $2`, [companyId, connectionId])).length > 0);
  }

  /** An AUTHORISED invoice in the sandbox, announced by invoice.created as the documents service would; waits until payments knows it. */
  async raise(companyId: string, org: SandboxOrganisation, contactId: string, amount: number): Promise<{ invoiceId: string; requestId: string }> {
    const { invoices } = await org.seed({
      invoices: [{ Type: 'ACCREC', Status: 'AUTHORISED', Contact: { ContactID: contactId }, Date: '2026-11-20', DueDate: '2026-12-20', LineItems: [{ Description: 'Work', Quantity: 1, UnitAmount: amount, AccountCode: '200', TaxType: 'NONE' }] }],
    });
    const invoice = invoices[0] as XeroJson;
    const invoiceId = String(invoice['InvoiceID']);
    const requestId = uniqueId('req-');
    const total = Number(invoice['Total']).toFixed(2);
    await this.publish(Topics.InvoiceCreated, companyId, {
      requestId,
      clientId: 'client-1',
      xeroId: invoiceId,
      number: String(invoice['InvoiceNumber']),
      status: 'AUTHORISED',
      subTotal: total,
      totalTax: '0.00',
      total,
      currencyCode: 'NZD',
      amountDue: total,
    });
    await eventually(`invoice ${invoiceId} known`, async () => (await this.rows(`SELECT 1 FROM payments.reconciled_invoices WHERE company_id = $1 AND xero_invoice_id = $2`, [companyId, invoiceId])).length > 0);
    return { invoiceId, requestId };
  }

  private testApi(org: SandboxOrganisation, method: string, route: string, body?: unknown): Promise<XeroJson> {
    return fetch(`${this.sandbox.url}/__sandbox/organisations/${org.tenantId}${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then(async (r) => {
      const json = (await r.json()) as XeroJson;
      if (!r.ok) throw new Error(`${method} ${route}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    });
  }

  /** A customer pays (part of) the invoice; returns the payment's id. */
  async pay(org: SandboxOrganisation, invoiceId: string, amount: number): Promise<string> {
    const { payment } = (await this.testApi(org, 'POST', `/invoices/${invoiceId}/payments`, { amount, date: '2026-11-25' })) as { payment: XeroJson };
    return String(payment['PaymentID']);
  }

  /** A Xero user deletes the payment. */
  async deletePayment(org: SandboxOrganisation, paymentId: string): Promise<void> {
    await this.testApi(org, 'DELETE', `/payments/${paymentId}`);
  }

  /** A Xero user raises a credit note and allocates it to the invoice at once; returns its id. */
  async creditNote(org: SandboxOrganisation, contactId: string, invoiceId: string, amount: number): Promise<string> {
    const note = await this.testApi(org, 'POST', '/credit-notes', { contactId, amount, date: '2026-11-26', allocateTo: { invoiceId, amount } });
    const notes = note['CreditNotes'] as XeroJson | XeroJson[];
    const record = Array.isArray(notes) ? notes[0] : notes;
    return String(record['CreditNoteID']);
  }

  /** What reconciliation announced about one invoice (grouped by topic; order across topics is not kept). */
  announced(companyId: string, invoiceId: string): Announced[] {
    return OUTCOME_TOPICS.flatMap((t) => this.probe.on(this.topic(t)).map((m) => m.json<Announced>()))
      .filter((e) => e.companyId === companyId && e.payload['xeroInvoiceId'] === invoiceId.toLowerCase());
  }

  /** Announcement types for the invoice, counted. */
  counts(companyId: string, invoiceId: string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const event of this.announced(companyId, invoiceId)) counts[event.type] = (counts[event.type] ?? 0) + 1;
    return counts;
  }

  /** Waits until the invoice's announcements are at least `expected`, then a little longer, and returns them. */
  async settled(companyId: string, invoiceId: string, expected: Record<string, number>, settleMs = 2_000, timeoutMs = 30_000): Promise<Record<string, number>> {
    await eventually(
      `announcements ${JSON.stringify(expected)} for ${invoiceId}`,
      () => Object.entries(expected).every(([type, n]) => (this.counts(companyId, invoiceId)[type] ?? 0) >= n),
      timeoutMs,
    );
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return this.counts(companyId, invoiceId);
  }

  bearer(companyId: string): string {
    return bearerToken(this.jwt, { sub: `accountant@${companyId}`, companyId, role: 'accountant' });
  }

  async api<T = XeroJson>(companyId: string, route: string): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.payments.url}${route}`, { headers: { authorization: this.bearer(companyId) } });
    return { status: response.status, body: (await response.json()) as T };
  }

  async rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query(sql, params)).rows as T[];
  }
}
