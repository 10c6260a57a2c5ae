import { deadLetterTopic, Topics } from '@ledgerline/contracts';
import { eventually, PrivatePostgres, SandboxOrganisation, startPrivatePostgres, XeroJson } from '@ledgerline/testing';
import { clientUpserted, invoiceRequested, publish } from './support/events';
import { connectCompany, Platform, SERVICES, ServiceName, startPlatform } from './support/platform';

// The database fails under the running platform: a Postgres of this file's own (never the shared server,
// which other test files are using), stopped and started for real while requests flow.
jest.setTimeout(300_000);

/** Every topic a service consumes: a dead letter on any of them would be work lost to the outage. */
const CONSUMED = [Topics.ClientUpserted, Topics.ContactSyncRequested, Topics.ContactSynced, Topics.ContactSyncFailed, Topics.InvoiceRequested, Topics.InvoiceCreated, Topics.XeroWebhookReceived];
const WATCHED = [Topics.InvoiceCreated, Topics.InvoiceFailed, ...CONSUMED.map(deadLetterTopic)];

/** At these settings a transient failure is dead-lettered after 5 attempts about 1.5 s apart in all. */
const EVENT_MAX_ATTEMPTS = 5;
const EVENT_RETRY_BASE_MS = 100;

interface Created {
  companyId: string;
  payload: { requestId: string; xeroId: string };
}

let postgres: PrivatePostgres;
let platform: Platform;
const watches: HealthWatch[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const createdFor = (companyId: string): Created[] => platform.probe.on(platform.topic(Topics.InvoiceCreated)).map((m) => m.json<Created>()).filter((e) => e.companyId === companyId);
const failedFor = (companyId: string) => platform.probe.on(platform.topic(Topics.InvoiceFailed)).filter((m) => m.json<Created>().companyId === companyId);
const deadLetters = () => CONSUMED.flatMap((topic) => platform.probe.on(platform.topic(deadLetterTopic(topic))));
const requestIds = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

const answered = (companyId: string, ids: string[]) => {
  const seen = new Set(createdFor(companyId).map((e) => e.payload.requestId));
  return ids.filter((id) => seen.has(id)).length;
};
const waitForAll = (companyId: string, ids: string[], timeoutMs: number) =>
  eventually(`invoice.created for all ${ids.length} requests of ${companyId}`, () => answered(companyId, ids) === ids.length, timeoutMs, 250);

/** Each request: one invoice.created, one live invoice in Xero (by its reference), and the event names it. */
async function expectAnsweredOnce(companyId: string, organisation: SandboxOrganisation, ids: string[]): Promise<void> {
  // Room for a late duplicate to show before counting.
  await sleep(1_000);
  const events = createdFor(companyId);
  const invoices = (await organisation.invoices()).filter((invoice) => invoice['Status'] !== 'DELETED');
  const byReference = new Map<string, XeroJson[]>();
  for (const invoice of invoices) byReference.set(String(invoice['Reference']), [...(byReference.get(String(invoice['Reference'])) ?? []), invoice]);
  const problems: string[] = [];
  for (const id of ids) {
    const announced = events.filter((e) => e.payload.requestId === id);
    const inXero = byReference.get(id) ?? [];
    if (announced.length !== 1 || inXero.length !== 1 || announced[0].payload.xeroId !== inXero[0]['InvoiceID']) {
      problems.push(`${id}: ${announced.length} invoice.created, ${inXero.length} invoice(s) in Xero`);
    }
  }
  expect(problems).toEqual([]);
  expect(failedFor(companyId)).toHaveLength(0);
  expect(invoices).toHaveLength(ids.length);
}

/** Samples every service's liveness and readiness while the database comes and goes. */
class HealthWatch {
  readonly samples: { service: ServiceName; at: number; live: boolean; ready: boolean }[] = [];
  private running = false;
  private loop?: Promise<void>;

  start(): void {
    watches.push(this);
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await Promise.all(SERVICES.map((service) => this.sample(service)));
        await sleep(250);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  between(service: ServiceName, from: number, to: number) {
    return this.samples.filter((s) => s.service === service && s.at >= from && s.at <= to);
  }

  private async sample(service: ServiceName): Promise<void> {
    const url = platform.services[service].url;
    const ok = (path: string) =>
      fetch(`${url}${path}`, { signal: AbortSignal.timeout(3_000) }).then(
        (response) => response.ok,
        () => false,
      );
    const at = Date.now();
    const [live, ready] = await Promise.all([ok('/health/live'), ok('/health/ready')]);
    this.samples.push({ service, at, live, ready });
  }
}

const everyServiceReady = async () => {
  const states = await Promise.all(SERVICES.map((service) => fetch(`${platform.services[service].url}/health/ready`).then((r) => r.ok, () => false)));
  return states.every(Boolean);
};

const exited = () => SERVICES.filter((service) => platform.services[service].process.exitCode !== null || platform.services[service].process.signalCode !== null);

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  platform = await startPlatform({
    databaseServerUrl: postgres.url,
    watch: WATCHED,
    env: {
      EVENT_MAX_ATTEMPTS: String(EVENT_MAX_ATTEMPTS),
      EVENT_RETRY_BASE_MS: String(EVENT_RETRY_BASE_MS),
      // A batch whose answer could not be recorded is taken up again once its lease runs out.
      OPERATIONS_LEASE_MS: '6000',
    },
  });
});

afterEach(async () => {
  await Promise.all(watches.splice(0).map((watch) => watch.stop()));
});

afterAll(async () => {
  // The server first: the platform's close drops its database on it.
  if (postgres && !postgres.running) await postgres.start().catch(() => undefined);
  await platform?.close();
  await postgres?.destroy();
});

describe('the platform survives Postgres going away under it', () => {
  it('answers 100 requests once each, with one Xero invoice each, through a Postgres restart in mid-flow', async () => {
    const organisation = await connectCompany(platform, 'restart-co', 'Restart Ltd');
    await publish(platform, Topics.ClientUpserted, 'restart-co', [clientUpserted('client-r', 'Failover Cafe')]);
    const ids = requestIds('restart', 100);
    await publish(platform, Topics.InvoiceRequested, 'restart-co', ids.slice(0, 50).map((id) => invoiceRequested(id, 'client-r')));
    await eventually('the first invoices of the flow', () => answered('restart-co', ids) >= 1, 60_000, 50);

    const watch = new HealthWatch();
    watch.start();
    const down = Date.now();
    await postgres.stop('fast');
    // The rest arrive while the database is away.
    await publish(platform, Topics.InvoiceRequested, 'restart-co', ids.slice(50).map((id) => invoiceRequested(id, 'client-r')));
    await sleep(6_000);
    expect(exited()).toEqual([]);
    const up = Date.now();
    await postgres.start();
    await eventually('every service ready again', everyServiceReady, 60_000, 250);
    const readyAgain = Date.now();
    await waitForAll('restart-co', ids, 120_000);
    await watch.stop();

    expect(exited()).toEqual([]);
    for (const service of SERVICES) {
      const during = watch.between(service, down + 500, up);
      expect(during.length).toBeGreaterThan(0);
      expect({ service, notReady: during.some((s) => !s.ready) }).toEqual({ service, notReady: true });
      expect({ service, alwaysLive: watch.between(service, down, readyAgain).every((s) => s.live) }).toEqual({ service, alwaysLive: true });
    }
    await expectAnsweredOnce('restart-co', organisation, ids);
    expect(deadLetters()).toHaveLength(0);
    process.stdout.write(`postgres restart: down ${up - down} ms, every service ready ${readyAgain - up} ms after the start, all 100 answered ${Date.now() - up} ms after it\n`);
  });

  it(`waits out a 61 s outage, far beyond the retry budget (${EVENT_MAX_ATTEMPTS} attempts from ${EVENT_RETRY_BASE_MS} ms): nothing dead-lettered, all complete after`, async () => {
    const organisation = await connectCompany(platform, 'outage-co', 'Long Outage Ltd');
    await publish(platform, Topics.ClientUpserted, 'outage-co', [clientUpserted('client-o', 'Patient Customer Ltd')]);
    const ids = requestIds('outage', 40);
    await publish(platform, Topics.InvoiceRequested, 'outage-co', ids.slice(0, 20).map((id) => invoiceRequested(id, 'client-o')));
    await eventually('the first invoices of the flow', () => answered('outage-co', ids) >= 1, 60_000, 50);

    const watch = new HealthWatch();
    watch.start();
    const down = Date.now();
    await postgres.stop('fast');
    await publish(platform, Topics.InvoiceRequested, 'outage-co', ids.slice(20).map((id) => invoiceRequested(id, 'client-o')));
    await sleep(61_000);
    expect(exited()).toEqual([]);
    const up = Date.now();
    await postgres.start();
    await waitForAll('outage-co', ids, 120_000);
    await eventually('every service ready again', everyServiceReady, 60_000, 250);
    await watch.stop();

    expect(exited()).toEqual([]);
    for (const service of SERVICES) {
      const during = watch.between(service, down + 500, up);
      expect({ service, neverReady: during.every((s) => !s.ready) }).toEqual({ service, neverReady: true });
      expect({ service, alwaysLive: during.every((s) => s.live) }).toEqual({ service, alwaysLive: true });
    }
    expect(deadLetters()).toHaveLength(0);
    await expectAnsweredOnce('outage-co', organisation, ids);
    process.stdout.write(`postgres outage: down ${up - down} ms, all 40 answered ${Date.now() - up} ms after the start\n`);
  });

  it('drains the documents service on SIGTERM during a batch and, started again, answers every request once', async () => {
    const organisation = await connectCompany(platform, 'sigterm-co', 'Rolling Deploy Ltd');
    await publish(platform, Topics.ClientUpserted, 'sigterm-co', [clientUpserted('client-s', 'Redeployed Ltd')]);
    const ids = requestIds('sigterm', 100);
    await publish(platform, Topics.InvoiceRequested, 'sigterm-co', ids.map((id) => invoiceRequested(id, 'client-s')));
    await eventually('the first invoices of the batch', () => answered('sigterm-co', ids) >= 1, 60_000, 20);
    const answeredBefore = answered('sigterm-co', ids);

    const documents = platform.services.documents;
    const signalled = Date.now();
    const code = await documents.stop('SIGTERM');
    const drainMs = Date.now() - signalled;
    const output = documents.output();
    expect(code).toBe(0);
    expect(drainMs).toBeLessThan(25_000);
    expect(output).toContain('documents drained; exiting');
    // Leases went back and the outbox was flushed while the database was still open.
    expect(output).not.toContain('could not hand back');
    expect(output).not.toContain('outbox rows left for the next start');

    await platform.restartService('documents');
    await waitForAll('sigterm-co', ids, 120_000);
    expect(exited()).toEqual([]);
    expect(deadLetters()).toHaveLength(0);
    await expectAnsweredOnce('sigterm-co', organisation, ids);
    process.stdout.write(`sigterm: ${answeredBefore} of 100 answered when signalled, drained in ${drainMs} ms\n`);
  });

  it('never needed the last-resort process guard: every lost connection was handled where it happened', () => {
    const output = SERVICES.map((service) => platform.services[service].output()).join('\n');
    expect(output).not.toContain('from a lost connection, carrying on');
    expect(output).not.toContain('triggerUncaughtException');
  });
});
