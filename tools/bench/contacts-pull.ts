/*
 * Calls and memory of a first import of 100,000 contacts. Run by hand (not part of npm test), or from bench.ts:
 *
 *   node -r @swc-node/register tools/bench/contacts-pull.ts [contacts]
 *
 * Starts Kafka, a fresh database, the sandbox, a connections stand-in and the contacts service (its own process),
 * seeds the organisation with the contacts in one test-API call, connects the company and waits for the pull to
 * finish. Prints the Xero calls the organisation received, the contacts service's RSS before, at its peak and after
 * (sampled every 100 ms from /proc), and the time taken. Announcing unlinked contacts is turned off for the company, so
 * the figures are the pull's own, not the relay's of 100,000 `contact.changed` events.
 *
 * Flat means the peak is within 10% of the RSS once the first page is in. The RSS at the start is the idle service;
 * the first page is what makes it reach its working size (a connection pool's buffers, the code paths compiled, a
 * page's worth of heap): growth past that is what a larger organisation would cost, and what must not happen.
 */
import 'reflect-metadata';
import { createEvent, Topics } from '@ledgerline/contracts';
import {
  bearerToken,
  ConnectionsStandIn,
  createTestDatabase,
  ensureKafka,
  freePort,
  KafkaProbe,
  migrateService,
  SandboxOrganisation,
  startServiceProcess,
  uniqueId,
} from '@ledgerline/testing';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import { rssMb, sampleRss } from './rss';

const JWT_SECRET = 'contacts-bench-jwt-secret-0123456789abcdef0123';

export interface ContactsPullFigures {
  contacts: number;
  calls: number;
  rssStartMb: number;
  /** Once the first page is in: the code paths have run once, the heap has its working size. */
  rssAfterFirstPageMb: number;
  rssPeakMb: number;
  rssEndMb: number;
  /** The peak over the RSS once the first page was in, in percent. */
  peakOverFirstPagePct: number;
  /** The peak is within FLAT_TOLERANCE_PCT of the RSS once the first page was in. */
  flat: boolean;
  seconds: number;
  /** The machine's 1-minute load average at the end (others' work on it shows in the time and the RSS). */
  loadAverage: number;
  /** The push afterwards, when asked for: clients upserted for a company of its own, each linked to a new contact. */
  push?: { clients: number; calls: number; seconds: number };
}

export const FLAT_TOLERANCE_PCT = 10;

export async function contactsPull(count: number, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`), pushCount = 0): Promise<ContactsPullFigures> {
  const [brokers, database] = await Promise.all([ensureKafka(), createTestDatabase()]);
  const tokens = new ConnectionsStandIn();
  await tokens.start();
  await migrateService('contacts', database.url);
  const prefix = `${uniqueId('bench-contacts-')}.`;
  const probe = new KafkaProbe(brokers);
  const sandbox = await startServiceProcess({
    entry: 'apps/xero-sandbox/src/main.ts',
    port: await freePort(),
    readyPath: '/health/live',
    env: { SANDBOX_ORGANISATIONS: 'none', LOG_LEVEL: 'warn' },
  });
  const contacts = await startServiceProcess({
    entry: 'apps/contacts/src/main.ts',
    port: await freePort(),
    env: {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_GROUP_SUFFIX: uniqueId('bench-'),
      LOG_LEVEL: 'warn',
      XERO_API_BASE_URL: sandbox.url,
      CONNECTIONS_INTERNAL_URL: tokens.url,
      INTERNAL_API_TOKEN: tokens.internalToken,
      JWT_SECRET,
      OPERATIONS_INTERVAL_MS: '100',
      // The organisation's 60 calls a minute would make this a two-minute wait; the count of calls is the figure.
      XERO_LIMIT_PER_MINUTE: '1000',
      CONTACTS_POLL_INTERVAL_MS: '600000',
      // CONTACTS_BENCH_NODE_OPTIONS tries V8 settings on the service alone (e.g. --max-semi-space-size=64).
      ...(process.env['CONTACTS_BENCH_NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['CONTACTS_BENCH_NODE_OPTIONS'] } : {}),
    },
  });
  const db = new Client({ connectionString: database.url });
  await db.connect();
  try {
    await fetch(`${sandbox.url}/__sandbox/limits`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ perMinute: 1000 }) });
    const org = await SandboxOrganisation.create(sandbox.url, 'Bench Contacts Ltd');
    const companyId = uniqueId('bench-');
    tokens.set(companyId, () => org.token());
    const seeded = await fetch(`${sandbox.url}/__sandbox/organisations/${org.tenantId}/contacts/bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count, withEmail: true }),
    });
    if (!seeded.ok) throw new Error(`seeding ${count} contacts: ${seeded.status} ${await seeded.text()}`);
    const token = bearerToken(
      { secret: JWT_SECRET, issuer: 'ledgerline-gateway', audience: 'ledgerline-api' },
      { sub: 'bench', companyId, role: 'practice_admin' as never },
    );
    const settings = await fetch(`${contacts.url}/v1/contacts/settings`, {
      method: 'PUT',
      headers: { authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify({ announceUnlinkedContacts: false }),
    });
    if (!settings.ok) throw new Error(`turning announcements off: ${settings.status}`);

    const pid = contacts.process.pid as number;
    const sampler = sampleRss(pid);
    const callsBefore = (await org.counters()).calls;
    const started = Date.now();
    await probe.send(`${prefix}${Topics.XeroConnectionConnected}`, [
      {
        key: companyId,
        value: JSON.stringify(
          createEvent(Topics.XeroConnectionConnected, companyId, { connectionId: randomUUID(), tenantId: org.tenantId, organisationName: 'Bench', connectedBy: 'bench' }),
        ),
      },
    ]);
    const timeline: string[] = [];
    let nextSample = Date.now();
    let firstPageIn = false;
    for (;;) {
      const { rows } = await db.query(`SELECT "last_run_at" FROM contacts.contact_pull_checkpoints WHERE company_id = $1`, [companyId]);
      if (rows[0]?.last_run_at) break;
      // Until the first page is in, every round looks (a 5-second sample would see a dozen pages in).
      if (!firstPageIn || Date.now() >= nextSample) {
        const read = (await db.query(`SELECT count(*)::int AS n FROM contacts.contact_snapshots WHERE company_id = $1`, [companyId])).rows[0].n as number;
        if (!firstPageIn && read >= Math.min(count, 1000)) {
          sampler.mark('firstPage');
          firstPageIn = true;
        }
        if (Date.now() >= nextSample || read >= count) {
          timeline.push(`${read}:${rssMb(pid).toFixed(0)}MB`);
          nextSample = Date.now() + 5_000;
        }
      }
      if (Date.now() - started > 600_000) throw new Error(`the pull did not finish within 10 minutes\n${contacts.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (Date.now() - started) / 1000;
    const { marks, peak: rssPeakMb } = sampler.stop();
    const { start: rssStartMb, end: rssEndMb } = marks;
    const calls = (await org.counters()).calls - callsBefore;
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM contacts.contact_snapshots WHERE company_id = $1`, [companyId]);
    if (rows[0].n !== count) throw new Error(`expected ${count} contacts read, found ${rows[0].n}`);
    const rssAfterFirstPageMb = marks['firstPage'] ?? rssStartMb;
    const peakOverFirstPagePct = ((rssPeakMb - rssAfterFirstPageMb) / rssAfterFirstPageMb) * 100;
    const flat = peakOverFirstPagePct <= FLAT_TOLERANCE_PCT;
    const loadAverage = os.loadavg()[0];
    const figures = { contacts: count, calls, rssStartMb, rssAfterFirstPageMb, rssPeakMb, rssEndMb, peakOverFirstPagePct, flat, seconds, loadAverage };
    log(`${count} contacts pulled: RSS by contacts read: ${timeline.join(' ')}`);
    log(`${count} contacts pulled: Xero calls: ${calls} calls`);
    log(
      `${count} contacts pulled: RSS start / after the first page / peak / end: ${rssStartMb.toFixed(1)} / ${rssAfterFirstPageMb.toFixed(1)} / ${rssPeakMb.toFixed(1)} / ${rssEndMb.toFixed(1)} MB (peak ${(((rssPeakMb - rssStartMb) / rssStartMb) * 100).toFixed(1)}% over start, ${peakOverFirstPagePct.toFixed(1)}% over the RSS once the first page was in: ${flat ? 'flat' : 'NOT flat'}, ±${FLAT_TOLERANCE_PCT}%)`,
    );
    log(`${count} contacts pulled: time: ${seconds.toFixed(1)} s (load average ${loadAverage.toFixed(2)})`);
    if (pushCount === 0) return figures;

    // The push: client.upserted for a company of its own, until every client is linked to a contact it created.
    const pushOrg = await SandboxOrganisation.create(sandbox.url, 'Bench Push Ltd');
    const pushCompany = uniqueId('bench-push-');
    tokens.set(pushCompany, () => pushOrg.token());
    const pushCallsBefore = (await pushOrg.counters()).calls;
    const pushStarted = Date.now();
    for (let sent = 0; sent < pushCount; sent += 500) {
      await probe.send(
        `${prefix}${Topics.ClientUpserted}`,
        Array.from({ length: Math.min(500, pushCount - sent) }, (_, i) => ({
          key: pushCompany,
          value: JSON.stringify(
            createEvent(Topics.ClientUpserted, pushCompany, { clientId: `client-${sent + i}`, name: `Pushed Client ${sent + i}`, updatedAt: new Date().toISOString() }),
          ),
        })),
      );
    }
    for (;;) {
      const { rows: linked } = await db.query(`SELECT count(*)::int AS n FROM contacts.contact_mappings WHERE company_id = $1`, [pushCompany]);
      if (linked[0].n >= pushCount) break;
      if (Date.now() - pushStarted > 600_000) throw new Error(`the push linked ${linked[0].n} of ${pushCount} clients within 10 minutes`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const push = { clients: pushCount, calls: (await pushOrg.counters()).calls - pushCallsBefore, seconds: (Date.now() - pushStarted) / 1000 };
    log(`${pushCount} clients pushed: ${push.calls} Xero calls, ${push.seconds.toFixed(1)} s`);
    return { ...figures, push };
  } finally {
    await db.end();
    await contacts.stop();
    await sandbox.stop();
    await probe.close();
    await tokens.stop();
    await database.drop();
  }
}

if (require.main === module) {
  contactsPull(Number(process.argv[2] ?? 100_000)).then(
    (figures) => {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      process.exit(0);
    },
    (error) => {
      process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
