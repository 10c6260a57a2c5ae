/*
 * Tries the invoice flow against a platform started with `npm start`:
 * connects the company "demo-co" to the sandbox's demo organisation (as its practice admin would),
 * publishes client.upserted and invoice.requested, waits for invoice.created, and shows the invoice
 * as the sandbox (Xero) holds it. Safe to run again: each run raises a new invoice.
 *
 *   npm run demo
 *
 * CONNECTIONS_URL, XERO_API_BASE_URL (the sandbox), KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, KAFKA_SASL_* / KAFKA_SSL_*
 * and JWT_SECRET (else read from tmp/dev.env) point it at another platform.
 */
import 'reflect-metadata';
import { ClientUpsertedPayload, createEvent, InvoiceRequestedPayload, Topics } from '@ledgerline/contracts';
import { kafkaSecurity, kafkaSecuritySettingsFromEnv, kafkaTopic } from '@ledgerline/messaging';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

const COMPANY = 'demo-co';
const DEMO_TENANT = '4f6b5b6e-0d1c-4c64-9a51-5a3f0c2d7e10';
const CONNECTIONS = process.env.CONNECTIONS_URL ?? 'http://127.0.0.1:3001';
const SANDBOX = process.env.XERO_API_BASE_URL ?? 'http://127.0.0.1:4010';

function devSecrets(): Record<string, string> {
  const file = path.resolve(__dirname, '../../tmp/dev.env');
  if (!fs.existsSync(file)) throw new Error('tmp/dev.env is missing: start the platform with `npm start` first');
  return Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

async function call(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

async function connect(authorization: string): Promise<void> {
  const status = await call(`${CONNECTIONS}/v1/connections/xero`, { headers: { authorization } });
  if (status['status'] === 'connected') {
    console.log(`1. ${COMPANY} is already connected to "${String(status['organisationName'])}"`);
    return;
  }
  const { authorizeUrl } = (await call(`${CONNECTIONS}/v1/connections/xero/authorize`, { method: 'POST', headers: { authorization } })) as { authorizeUrl: string };
  const approve = new URL(authorizeUrl);
  approve.searchParams.set('sandbox_auto_approve', DEMO_TENANT);
  const consent = await fetch(approve, { redirect: 'manual' });
  const back = new URL(consent.headers.get('location') ?? '');
  const connected = await call(`${CONNECTIONS}/v1/connections/xero/callback${back.search}`, { headers: { authorization } });
  console.log(`1. connected ${COMPANY} to "${String(connected['organisationName'])}" through the sandbox's OAuth flow`);
}

async function main(): Promise<void> {
  const jwtSecret = process.env.JWT_SECRET ?? devSecrets().JWT_SECRET;
  const jwt = new JwtService().sign(
    { sub: 'admin@demo-co', companyId: COMPANY, role: 'practice_admin' },
    { secret: jwtSecret, issuer: 'ledgerline-gateway', audience: 'ledgerline-api', expiresIn: 600, algorithm: 'HS256' },
  );
  await connect(`Bearer ${jwt}`);

  const { ssl, sasl } = kafkaSecurity(kafkaSecuritySettingsFromEnv());
  const kafka = new Kafka({ clientId: 'ledgerline-demo', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), ssl, sasl, logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: `ledgerline-demo-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [kafkaTopic(Topics.InvoiceCreated), kafkaTopic(Topics.InvoiceFailed)], fromBeginning: false });
  const requestId = `demo-${Date.now()}`;
  const outcome = new Promise<Record<string, unknown>>((resolve) => {
    void consumer.run({
      eachMessage: async ({ topic, message }) => {
        const event = JSON.parse(message.value?.toString() ?? '{}') as { payload?: { requestId?: string } };
        if (event.payload?.requestId === requestId) resolve({ topic, ...event });
      },
    });
  });
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // let the consumer join before publishing

  const client: ClientUpsertedPayload = { clientId: 'client-42', name: 'Harbour View Cafe', email: 'accounts@harbourview.example', updatedAt: new Date().toISOString() };
  const invoice: InvoiceRequestedPayload = {
    requestId,
    clientId: 'client-42',
    date: new Date().toISOString().slice(0, 10),
    currencyCode: 'NZD',
    status: 'AUTHORISED',
    reference: 'Job 4411',
    lineItems: [
      { description: 'Call-out and diagnosis', quantity: '2', unitAmount: '85.00', accountCode: '200', taxType: 'OUTPUT2' },
      { description: 'Replacement valve', quantity: '1', unitAmount: '120.50', accountCode: '200', taxType: 'OUTPUT2' },
    ],
  };
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic: kafkaTopic(Topics.ClientUpserted), messages: [{ key: COMPANY, value: JSON.stringify(createEvent(Topics.ClientUpserted, COMPANY, client)) }] });
  await producer.send({ topic: kafkaTopic(Topics.InvoiceRequested), messages: [{ key: COMPANY, value: JSON.stringify(createEvent(Topics.InvoiceRequested, COMPANY, invoice)) }] });
  await producer.disconnect();
  console.log(`2. published client.upserted (client-42) and invoice.requested (${requestId})`);

  // The deadline's timer is cleared once the outcome is in: a pending timer alone keeps Node running to its end.
  let deadline: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => (deadline = setTimeout(() => reject(new Error('no outcome within 60 s: see tmp/logs/')), 60_000)));
  const event = await Promise.race([outcome, expired]).finally(() => clearTimeout(deadline));
  await consumer.disconnect();
  console.log(`3. ${String(event['topic'])}:\n${JSON.stringify(event['payload'], null, 2)}`);

  const payload = event['payload'] as { xeroId?: string };
  if (payload.xeroId) {
    const token = (await call(`${SANDBOX}/__sandbox/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantIds: [DEMO_TENANT] }) })) as { access_token: string };
    const found = await call(`${SANDBOX}/api.xro/2.0/Invoices/${payload.xeroId}`, { headers: { authorization: `Bearer ${token.access_token}`, 'xero-tenant-id': DEMO_TENANT } });
    const [xeroInvoice] = found['Invoices'] as Record<string, unknown>[];
    console.log(
      `4. in the sandbox: ${String(xeroInvoice['InvoiceNumber'])} to ${String((xeroInvoice['Contact'] as Record<string, unknown>)['Name'])}, ` +
        `${String(xeroInvoice['Status'])}, total ${String(xeroInvoice['Total'])} ${String(xeroInvoice['CurrencyCode'])}`,
    );
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
