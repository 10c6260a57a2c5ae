/*
 * Ledgerline's benchmark: starts what it needs (the repo's Kafka unless KAFKA_BROKERS is set, a fresh database on
 * DATABASE_URL's server, the Xero sandbox, a connections stand-in and the documents service as its own process),
 * runs each scenario against them, and prints one line per figure and a JSON summary. Not part of `npm test`.
 *
 *   npm run bench                 every scenario
 *   npm run bench -- --quick      small sizes (a smoke run)
 */
import 'reflect-metadata';
import { Topics } from '@ledgerline/contracts';
import { createTopicsAndWait } from '@ledgerline/kafka-admin';
import { eventually, uniqueId } from '@ledgerline/testing';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { DocumentsHarness } from '../../apps/documents/test/support/documents-harness';
import { contactsPull } from './contacts-pull';

const quick = process.argv.includes('--quick');
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
async function rawKafka(brokers: string, count: number): Promise<void> {
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
  report('raw kafkajs produce→consume', count / ((Date.now() - started) / 1000), 'messages/s');
  await producer.disconnect();
  await consumer.disconnect();
}

async function main(): Promise<void> {
  const harness = new DocumentsHarness();
  await harness.start([Topics.InvoiceCreated, Topics.InvoiceFailed], { OPERATIONS_INTERVAL_MS: '100' });
  try {
    await rawKafka(harness.brokers, quick ? 500 : 3_000);

    // Batching: a burst for one company reaches Xero in few full calls, and never draws a 429.
    const burst = quick ? 100 : 500;
    const { companyId, org } = await harness.connectedCompany('bench-burst');
    const contactId = await org.createContact('Bench Customer');
    await harness.publish(Topics.ContactSynced, companyId, { clientId: 'client-bench', xeroContactId: contactId, contactName: 'Bench Customer', action: 'created' });
    const requests = Array.from({ length: burst }, () => harness.invoiceRequest('client-bench'));
    const started = Date.now();
    await harness.publishMany(Topics.InvoiceRequested, companyId, requests);
    await eventually(`${burst} invoices`, () => harness.outcomes(Topics.InvoiceCreated, companyId).length >= burst, 180_000, 100);
    const elapsedMs = Date.now() - started;
    const calls = await org.calls();
    report(`${burst} invoices for one company: Xero calls in all`, calls.length, 'calls');
    report(`${burst} invoices for one company: createInvoices calls`, (await org.invoiceWrites()).length, 'calls');
    report(`${burst} invoices for one company: 429 answers`, calls.filter((c) => c.status === 429).length, 'calls');
    report(`${burst} invoices for one company: throughput`, burst / (elapsedMs / 1000), 'invoices/s');

    // Latency at low load: one request at a time, published → invoice.created, less the sandbox's own time.
    const quiet = await harness.connectedCompany('bench-quiet');
    const quietContact = await quiet.org.createContact('Quiet Customer');
    await harness.publish(Topics.ContactSynced, quiet.companyId, { clientId: 'client-quiet', xeroContactId: quietContact, contactName: 'Quiet Customer', action: 'created' });
    const latencies: number[] = [];
    for (let i = 0; i < (quick ? 5 : 30); i++) {
      const request = harness.invoiceRequest('client-quiet');
      const sent = Date.now();
      await harness.publish(Topics.InvoiceRequested, quiet.companyId, request);
      await harness.outcomeFor(Topics.InvoiceCreated, quiet.companyId, request.requestId, 30_000);
      const total = Date.now() - sent;
      const xero = (await quiet.org.invoiceWrites()).at(-1)?.durationMs ?? 0;
      latencies.push(total - xero);
      await new Promise((r) => setTimeout(r, 300));
    }
    report('latency at low load, p50 (Xero time taken out)', percentile(latencies, 50), 'ms');
    report('latency at low load, p99 (Xero time taken out)', percentile(latencies, 99), 'ms');
  } finally {
    await harness.stop();
  }
  // A first import of many contacts: calls and the contacts service's memory.
  const pull = await contactsPull(quick ? 10_000 : 100_000, () => undefined);
  report(`${pull.contacts} contacts pulled: Xero calls`, pull.calls, 'calls');
  report(`${pull.contacts} contacts pulled: peak RSS`, pull.rssPeakMb, 'MB');
  report(`${pull.contacts} contacts pulled: RSS after the first page`, pull.rssAfterFirstPageMb, 'MB');
  report(`${pull.contacts} contacts pulled: peak RSS over the RSS after the first page`, pull.peakOverFirstPagePct, '%');
  process.stdout.write(`${JSON.stringify({ machine: { cpus: require('node:os').cpus().length }, quick, figures })}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
