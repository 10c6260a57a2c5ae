/*
 * Ledgerline's benchmark: starts what it needs (the repo's Kafka unless KAFKA_BROKERS is set, a fresh database on
 * DATABASE_URL's server, the Xero sandbox, a connections stand-in and the documents and contacts services as their
 * own processes), runs each scenario against them, and prints one line per figure and a JSON summary. Not part of
 * `npm test` (a smoke run of it is).
 *
 *   npm run bench                 every scenario, full sizes
 *   npm run bench -- --quick      smaller sizes
 *   npm run bench -- --smoke      tiny sizes: that every scenario still runs, not its figures
 *
 * SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=tmp/profiles" npm run bench writes a CPU profile of every service.
 */
import 'reflect-metadata';
import { Topics } from '@ledgerline/contracts';
import { createTopicsAndWait } from '@ledgerline/kafka-admin';
import { eventually, uniqueId } from '@ledgerline/testing';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import os from 'node:os';
import { DocumentsHarness } from '../../apps/documents/test/support/documents-harness';
import { contactsPull } from './contacts-pull';
import { reconcileByPoll } from './reconcile-by-poll';
import { describeMemory, memoryBreakdown, sampleRss } from './rss';

const smoke = process.argv.includes('--smoke');
/** `--only latency,batching` runs those scenarios alone (batching, latency, throughput, poll, contacts). */
const only = process.argv.includes('--only') ? new Set(process.argv[process.argv.indexOf('--only') + 1].split(',')) : undefined;
const runs = (scenario: string) => !only || only.has(scenario);
const quick = smoke || process.argv.includes('--quick');
/** Full, quick and smoke sizes of each scenario. */
const size = (full: number, quickSize: number, smokeSize: number) => (smoke ? smokeSize : quick ? quickSize : full);
const figures: Record<string, number> = {};

function report(name: string, value: number, unit: string): void {
  figures[name] = value;
  process.stdout.write(`${name}: ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}\n`);
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** Raw kafkajs produce → consume on the same broker: the ceiling the rest is compared with. */
async function rawKafka(brokers: string, count: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const topic = uniqueId('bench-raw-');
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(admin, [{ topic, numPartitions: 3 }]);
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: uniqueId('bench-') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let received = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  await consumer.run({ eachMessage: async () => void (++received >= count && done()) });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const started = Date.now();
  const value = JSON.stringify({ payload: 'x'.repeat(400) });
  for (let sent = 0; sent < count; sent += 500) {
    await producer.send({ topic, messages: Array.from({ length: Math.min(500, count - sent) }, (_, i) => ({ key: `k${i % 10}`, value })) });
  }
  await all;
  const perSecond = count / ((Date.now() - started) / 1000);
  report('raw kafkajs produce→consume', perSecond, 'messages/s');
  await producer.disconnect();
  await consumer.disconnect();
  return perSecond;
}

/**
 * One request's trip through the documents service, in stages, from the timestamps its rows carry (Postgres's
 * `now()` is its transaction's start): published → consumed, consumed → batch formed, formed → sent to Xero, the
 * Xero call, answer recorded, recorded → relayed to Kafka, relayed → read back.
 */
async function tripStages(harness: DocumentsHarness, eventId: string, correlationId: string, requestId: string, sentAt: number, receivedAt: number): Promise<Record<string, number>> {
  const [row] = await harness.rows<Record<string, string | number>>(
    `SELECT extract(epoch FROM p."processed_at") * 1000 AS consumed, extract(epoch FROM b."created_at") * 1000 AS formed,
            extract(epoch FROM a."started_at") * 1000 AS called, a."duration_ms" AS xero,
            extract(epoch FROM o."created_at") * 1000 AS recorded, extract(epoch FROM o."published_at") * 1000 AS relayed
       FROM documents.processed_events p, documents.xero_operations op
       JOIN documents.xero_operation_batches b ON b."id" = op."batch_id"
       JOIN documents.xero_operation_attempts a ON a."batch_id" = b."id"
       JOIN documents.outbox o ON o."topic" = $3 AND o."payload"->'payload'->>'requestId' = $4
      WHERE p."event_id" = $1 AND op."correlation_id" = $2
      ORDER BY a."started_at" DESC LIMIT 1`,
    [eventId, correlationId, Topics.InvoiceCreated, requestId],
  );
  if (!row) return {};
  const at = (name: string) => Number(row[name]);
  return {
    'published → consumed': at('consumed') - sentAt,
    'consumed → batch formed': at('formed') - at('consumed'),
    'formed → Xero call started': at('called') - at('formed'),
    'Xero call': at('xero'),
    'call ended → answer recorded': at('recorded') - at('called') - at('xero'),
    'recorded → relayed': at('relayed') - at('recorded'),
    'relayed → read back': receivedAt - at('relayed'),
  };
}

/** Publishes `count` invoice requests for the company (in sends of 1,000) and waits for every invoice.created. */
async function invoices(harness: DocumentsHarness, companyId: string, clientId: string, count: number, onProgress?: (created: number) => void): Promise<number> {
  const created = harness.topic(Topics.InvoiceCreated);
  const before = harness.probe.on(created).length;
  const started = Date.now();
  for (let sent = 0; sent < count; sent += 1_000) {
    const requests = Array.from({ length: Math.min(1_000, count - sent) }, () => harness.invoiceRequest(clientId));
    await harness.publishMany(Topics.InvoiceRequested, companyId, requests);
  }
  await eventually(
    `${count} invoices`,
    () => {
      const done = harness.probe.on(created).length - before;
      onProgress?.(done);
      return done >= count;
    },
    1_800_000,
    100,
  );
  return Date.now() - started;
}

/** Batching at Xero's own limits: a burst in few full calls, a flood at the floor the budget allows; never a 429. */
async function batching(harness: DocumentsHarness): Promise<void> {
  for (const [label, count] of [
    ['burst', size(500, 500, 20)],
    ['flood', size(5_000, 0, 0)],
  ] as const) {
    if (count === 0) continue;
    const { companyId, org, clientId } = await harness.linkedCustomer(`bench-${label}`);
    const elapsedMs = await invoices(harness, companyId, clientId, count);
    const calls = await org.calls();
    const sizes = await harness.rows<{ n: number }>(
      `SELECT cardinality("operation_ids") AS "n" FROM "documents"."xero_operation_batches" WHERE "company_id" = $1 ORDER BY "created_at"`,
      [companyId],
    );
    const full = sizes.filter((b) => b.n === 50).length;
    report(`${count} invoices for one company: Xero calls in all`, calls.length, 'calls');
    report(`${count} invoices for one company: createInvoices calls`, (await org.invoiceWrites()).length, `calls (floor ${Math.ceil(count / 50)})`);
    report(`${count} invoices for one company: batches of 50`, full, `of ${sizes.length}`);
    report(`${count} invoices for one company: 429 answers`, calls.filter((c) => c.status === 429).length, 'calls');
    report(`${count} invoices for one company: time`, elapsedMs / 1000, 's');
  }
}

/**
 * Latency at low load: one request at a time, published → invoice.created read back, less the sandbox's own time.
 * Each request's trip is also split into its stages, from the rows' own timestamps, to show where the time goes.
 * Low load is below Xero's limit of 60 calls a minute per organisation: the requests take turns over four companies,
 * one every 400 ms, so each organisation gets one every 1.6 s (37 a minute).
 */
async function latency(harness: DocumentsHarness): Promise<void> {
  const companies = [];
  for (let c = 0; c < 4; c++) companies.push(await harness.linkedCustomer(`bench-quiet-${c}`));
  const latencies: number[] = [];
  const stages: Record<string, number[]> = {};
  for (let i = 0; i < size(100, 20, 3); i++) {
    const quiet = companies[i % companies.length];
    const request = harness.invoiceRequest(quiet.clientId);
    const sent = Date.now();
    const event = await harness.publish(Topics.InvoiceRequested, quiet.companyId, request);
    const created = harness.topic(Topics.InvoiceCreated);
    const outcome = await harness.probe
      .waitFor(`invoice.created for ${request.requestId}`, (m) => m.topic === created && m.value?.includes(request.requestId) === true, 30_000)
      .catch((error: Error) => {
        throw new Error(`${error.message}\n--- documents service ---\n${harness.documents.output().slice(-3000)}`);
      });
    const xero = (await quiet.org.invoiceWrites()).at(-1)?.durationMs ?? 0;
    latencies.push(outcome.receivedAt - sent - xero);
    for (const [stage, ms] of Object.entries(await tripStages(harness, event.id, event.correlationId, request.requestId, sent, outcome.receivedAt))) (stages[stage] ??= []).push(ms);
    await new Promise((r) => setTimeout(r, Math.max(0, 400 - (Date.now() - sent))));
  }
  report('latency at low load, p50 (Xero time taken out)', percentile(latencies, 50), 'ms');
  report('latency at low load, p99 (Xero time taken out)', percentile(latencies, 99), 'ms');
  for (const [stage, values] of Object.entries(stages)) report(`latency at low load, p50 of stage: ${stage}`, percentile(values, 50), 'ms');
}

/** Throughput with Xero's limits raised (sandbox and client), as a share of raw kafkajs; then the service's memory over many events. */
async function throughputAndMemory(raw: number): Promise<void> {
  const raised = { XERO_LIMIT_PER_MINUTE: '1000000', XERO_LIMIT_PER_DAY: '100000000', XERO_LIMIT_APP_PER_MINUTE: '1000000' };
  const harness = new DocumentsHarness();
  await harness.start([Topics.InvoiceCreated, Topics.InvoiceFailed], raised);
  try {
    await fetch(`${harness.sandbox.url}/__sandbox/limits`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ perMinute: 1_000_000, perDay: 100_000_000, appPerMinute: 1_000_000 }),
    });
    const { companyId, clientId } = await harness.linkedCustomer('bench-throughput');
    const count = size(3_000, 1_000, 50);
    const elapsedMs = await invoices(harness, companyId, clientId, count);
    const perSecond = count / (elapsedMs / 1000);
    report(`${count} invoices, limits raised: throughput`, perSecond, 'invoices/s');
    report(`${count} invoices, limits raised: share of raw kafkajs`, perSecond / raw, '(goal 0.15)');

    // Each invoice request is several events in the documents service: the request, its outcome, its sync.activity.
    const many = size(100_000, 5_000, 200);
    const memory = sampleRss(harness.documents.process.pid as number);
    let warmMarked = false;
    let nextTenth = 1;
    const breakdowns: Array<Promise<string>> = [];
    const spread = await harness.linkedCustomer('bench-memory');
    await invoices(harness, spread.companyId, spread.clientId, many, (done) => {
      if (!warmMarked && done >= many / 10) {
        memory.mark('warm');
        warmMarked = true;
      }
      for (; nextTenth <= 10 && done >= (many * nextTenth) / 10; nextTenth++) {
        const at = Math.round((many * nextTenth) / 10);
        breakdowns.push(memoryBreakdown(harness.documents.url).then((m) => `${at}: ${describeMemory(m)}`, (error: Error) => `${at}: ${error.message}`));
      }
    });
    const { marks, peak } = memory.stop();
    for (const line of await Promise.all(breakdowns)) process.stdout.write(`${many} invoice requests: documents memory after ${line}\n`);
    const warm = marks['warm'] ?? marks['start'];
    report(`${many} invoice requests: documents RSS at start`, marks['start'], 'MB');
    report(`${many} invoice requests: documents RSS after the first tenth`, warm, 'MB');
    report(`${many} invoice requests: documents peak RSS`, peak, `MB (${(((peak - warm) / warm) * 100).toFixed(1)}% over the first tenth)`);
    report(`${many} invoice requests: documents RSS at the end`, marks['end'], 'MB');
  } finally {
    await harness.stop();
  }
}

/** A first import of many contacts (calls and the contacts service's memory), then a push of new clients. */
async function contacts(): Promise<void> {
  const pull = await contactsPull(size(100_000, 10_000, 2_000), () => undefined, size(1_000, 200, 20));
  report(`${pull.contacts} contacts pulled: Xero calls`, pull.calls, 'calls');
  report(`${pull.contacts} contacts pulled: peak RSS`, pull.rssPeakMb, 'MB');
  report(`${pull.contacts} contacts pulled: RSS after the first page`, pull.rssAfterFirstPageMb, 'MB');
  report(`${pull.contacts} contacts pulled: peak RSS over the RSS after the first page`, pull.peakOverFirstPagePct, '%');
  report(`${pull.contacts} contacts pulled: rate`, pull.contacts / pull.seconds, 'contacts/s');
  if (pull.push) {
    report(`${pull.push.clients} clients pushed: Xero calls per client`, pull.push.calls / pull.push.clients, 'calls');
    report(`${pull.push.clients} clients pushed: rate`, pull.push.clients / pull.push.seconds, 'clients/s');
  }
}

/** The payments poll: paid invoices reconciled from Xero's pages of 1,000. */
async function poll(): Promise<void> {
  const reconciled = await reconcileByPoll(size(10_000, 2_000, 200), 'Invoices', () => undefined);
  report(`${reconciled.invoices} paid invoices reconciled by poll: Xero calls`, reconciled.calls, 'calls');
  report(`${reconciled.invoices} paid invoices reconciled by poll: rate`, reconciled.invoices / reconciled.seconds, 'invoices/s');
}

async function main(): Promise<void> {
  const harness = new DocumentsHarness();
  await harness.start([Topics.InvoiceCreated, Topics.InvoiceFailed]);
  let raw: number;
  try {
    raw = await rawKafka(harness.brokers, size(3_000, 3_000, 300));
    if (runs('batching')) await batching(harness);
    if (runs('latency')) await latency(harness);
  } finally {
    await harness.stop();
  }
  if (runs('throughput')) await throughputAndMemory(raw);
  if (runs('poll')) await poll();
  if (runs('contacts')) await contacts();
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))) };
  process.stdout.write(`${JSON.stringify({ machine, sizes: smoke ? 'smoke' : quick ? 'quick' : 'full', figures })}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
