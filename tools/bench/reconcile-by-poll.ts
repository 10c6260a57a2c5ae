/*
 * How many Xero calls the poll uses to reconcile 10,000 paid invoices. Run by hand (not part of npm test), or from
 * bench.ts:
 *
 *   node -r @swc-node/register tools/bench/reconcile-by-poll.ts [invoices] [Invoices|Invoices,Payments]
 *
 * Starts Kafka, a fresh database, the sandbox and the payments service (its own process, webhooks off), seeds the
 * invoices and a payment for each in the sandbox, announces them with invoice.created, then connects the company:
 * it is polled from its earliest invoice. Prints the calls the organisation received until every invoice was
 * announced paid, the engine's own count, and the time it took.
 */
import 'reflect-metadata';
import { createEvent, Topics } from '@ledgerline/contracts';
import { eventually, SandboxOrganisation, uniqueId, XeroJson } from '@ledgerline/testing';
import { ReconciliationHarness } from '../../apps/payments/test/support/reconciliation-harness';

const CHUNK = 1_000;
/** The sandbox's test API takes bodies of modest size: seed a few hundred records a call. */
const SEED_CHUNK = 200;

export interface ReconcileByPollFigures {
  invoices: number;
  calls: number;
  seconds: number;
}

export async function reconcileByPoll(count: number, resources = 'Invoices', log: (line: string) => void = console.log): Promise<ReconcileByPollFigures> {
  const h = new ReconciliationHarness();
  await h.start({ PAYMENTS_POLL_INTERVAL_MS: '600000', PAYMENTS_POLL_RESOURCES: resources, LOG_LEVEL: 'warn' });
  try {
    await h.webhooks(false);
    const org = await SandboxOrganisation.create(h.sandbox.url, 'Bench Ltd');
    const companyId = uniqueId('bench-');
    const contactId = await org.createContact('Bench Customer');
    const started = Date.now();
    const invoices: XeroJson[] = [];
    for (let i = 0; i < count; i += SEED_CHUNK) {
      const size = Math.min(SEED_CHUNK, count - i);
      const seeded = await org.seed({
        invoices: Array.from({ length: size }, (_, n) => ({
          Type: 'ACCREC',
          Status: 'AUTHORISED',
          Contact: { ContactID: contactId },
          Date: '2026-11-20',
          DueDate: '2026-12-20',
          Reference: `bench-${i + n}`,
          LineItems: [{ Description: 'Work', Quantity: 1, UnitAmount: 100 + ((i + n) % 50), AccountCode: '200', TaxType: 'NONE' }],
        })),
      });
      invoices.push(...seeded['invoices']);
    }
    for (let i = 0; i < invoices.length; i += SEED_CHUNK) {
      await org.seed({ payments: invoices.slice(i, i + SEED_CHUNK).map((inv) => ({ Invoice: { InvoiceID: inv['InvoiceID'] }, Account: { Code: '090' }, Amount: inv['Total'], Date: '2026-11-25' })) });
    }
    log(`seeded ${invoices.length} invoices and their payments in ${Math.round((Date.now() - started) / 1000)} s`);

    for (let i = 0; i < invoices.length; i += CHUNK) {
      await h.probe.send(
        h.topic(Topics.InvoiceCreated),
        invoices.slice(i, i + CHUNK).map((inv, n) => {
          const total = Number(inv['Total']).toFixed(2);
          const payload = { requestId: `bench-${i + n}`, clientId: 'bench-client', xeroId: String(inv['InvoiceID']), number: String(inv['InvoiceNumber']), status: 'AUTHORISED', subTotal: total, totalTax: '0.00', total, currencyCode: 'NZD', amountDue: total };
          return { key: companyId, value: JSON.stringify(createEvent(Topics.InvoiceCreated, companyId, payload)) };
        }),
      );
    }
    await eventually(
      'every invoice known to payments',
      async () => (await h.rows<{ n: number }>(`SELECT count(*)::int AS n FROM payments.reconciled_invoices WHERE company_id = $1`, [companyId]))[0].n === count,
      600_000,
      1_000,
    );
    log(`payments knows all ${count} invoices after ${Math.round((Date.now() - started) / 1000)} s`);

    const callsBefore = (await org.counters()).calls;
    const reconcileStarted = Date.now();
    await h.connect(companyId, org);
    await eventually(
      'every invoice announced paid',
      async () => (await h.rows<{ n: number }>(`SELECT count(*)::int AS n FROM payments.reconciled_invoices WHERE company_id = $1 AND standing = 'paid'`, [companyId]))[0].n === count,
      900_000,
      1_000,
    );
    const seconds = (Date.now() - reconcileStarted) / 1000;
    // The run ends after its last page: count once nothing of it is left to send.
    await eventually(
      'the poll run to end',
      async () => (await h.rows<{ n: number }>(`SELECT count(*)::int AS n FROM payments.xero_operations WHERE company_id = $1 AND status IN ('pending', 'waiting_connection')`, [companyId]))[0].n === 0,
      120_000,
      500,
    );
    const calls = (await org.counters()).calls - callsBefore;
    const [engine] = await h.rows<{ attempts: number; calls: number }>(
      `SELECT count(*)::int AS attempts, coalesce(sum(calls_used), 0)::int AS calls FROM payments.xero_operation_attempts WHERE company_id = $1`,
      [companyId],
    );
    const byEndpoint = (await org.calls()).slice(-calls).reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.endpoint]: (acc[c.endpoint] ?? 0) + 1 }), {});
    const [events] = await h.rows<{ n: number }>(`SELECT count(*)::int AS n FROM payments.reconciliation_history WHERE company_id = $1`, [companyId]);
    log(`reconciled ${count} paid invoices by poll (${resources}, pages of 1,000)`);
    log(`  Xero calls received by the organisation: ${calls}`);
    log(`  by endpoint: ${JSON.stringify(byEndpoint)}`);
    log(`  engine attempts: ${engine.attempts}, calls they used: ${engine.calls}`);
    log(`  decisions kept (and events announced): ${events.n}`);
    log(`  time from connect to the last invoice announced paid: ${seconds.toFixed(1)} s`);
    return { invoices: count, calls, seconds };
  } finally {
    await h.stop();
  }
}

if (require.main === module) {
  reconcileByPoll(Number(process.argv[2] ?? 10_000), process.argv[3] ?? 'Invoices').then(
    () => process.exit(0),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
