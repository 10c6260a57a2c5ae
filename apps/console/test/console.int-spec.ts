import { createEvent, FailureDetail, SyncActivityPayload, SyncProgressPayload, Topics } from '@ledgerline/contracts';
import {
  bearerToken,
  createTestDatabase,
  ensureKafka,
  eventually,
  freePort,
  JwtSettings,
  KafkaProbe,
  migrateService,
  ServiceProcess,
  startServiceProcess,
  TestDatabase,
  uniqueId,
} from '@ledgerline/testing';
import { randomBytes, randomUUID } from 'node:crypto';

jest.setTimeout(60_000);

const LEASE_MS = 1_500;

/**
 * Two console replicas on one database and the real broker: views built from published events, for the right
 * company only; the manual sync's lock (also across the replicas, and released when its lease runs out); and the
 * progress stream with Last-Event-ID.
 */
describe('console (two replicas, real Kafka and Postgres)', () => {
  const prefix = `${uniqueId('console-')}.`;
  const topic = (name: string) => `${prefix}${name}`;
  const jwt: JwtSettings = { secret: `jwt-${randomBytes(24).toString('hex')}`, issuer: 'ledgerline-gateway', audience: 'ledgerline-api' };
  const companyA = uniqueId('co-a-');
  const companyB = uniqueId('co-b-');
  const tokenA = bearerToken(jwt, { sub: `admin@${companyA}`, companyId: companyA, role: 'practice_admin' });
  const tokenB = bearerToken(jwt, { sub: `admin@${companyB}`, companyId: companyB, role: 'accountant' });
  let database: TestDatabase;
  let probe: KafkaProbe;
  let replicas: ServiceProcess[] = [];

  const call = async (replica: ServiceProcess, method: string, route: string, authorization: string, body?: unknown) => {
    const response = await fetch(`${replica.url}${route}`, {
      method,
      headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { items?: Record<string, unknown>[] } };
  };

  const send = (topicName: string, companyId: string, value: string) => probe.send(topic(topicName), [{ key: companyId, value }]);
  const progress = (companyId: string, payload: SyncProgressPayload) => send(Topics.SyncProgress, companyId, JSON.stringify(createEvent(Topics.SyncProgress, companyId, payload)));

  beforeAll(async () => {
    const [db, brokers] = await Promise.all([createTestDatabase(), ensureKafka()]);
    database = db;
    await migrateService('console', database.url);
    probe = new KafkaProbe(brokers);
    await probe.watch([topic(Topics.SyncRequested)]);
    const env = {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      JWT_SECRET: jwt.secret,
      JWT_ISSUER: jwt.issuer,
      JWT_AUDIENCE: jwt.audience,
      CONSOLE_SYNC_LEASE_MS: String(LEASE_MS),
      CONSOLE_SSE_POLL_MS: '50',
      EVENT_RETRY_BASE_MS: '50',
      LOG_LEVEL: 'warn',
    };
    // Two processes at once, as a rollout starts them: they create the same topics and join one consumer group.
    const ports = [await freePort(), await freePort()];
    replicas = await Promise.all(ports.map((port) => startServiceProcess({ entry: 'apps/console/src/main.ts', port, env })));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await probe?.close();
    await database?.drop();
    replicas = [];
  });

  it('builds the sync log, errors (with a dead letter), sync info and overview from events, for the company they belong to', async () => {
    const failure: FailureDetail = { code: 'XERO_VALIDATION', messages: ['Account code 4999 is not a valid code for this document.'] };
    const activity = (outcome: 'succeeded' | 'failed', target: string, kind = 'invoice.create'): SyncActivityPayload => ({
      service: 'documents',
      kind,
      attemptId: randomUUID(),
      batchId: randomUUID(),
      attempt: 1,
      startedAt: new Date().toISOString(),
      durationMs: 120,
      callsUsed: 1,
      xeroStatus: outcome === 'failed' ? 400 : 200,
      outcome,
      targets: [{ operationId: randomUUID(), target, outcome, ...(outcome === 'failed' ? { failure } : { xeroId: randomUUID() }) }],
    });
    const events = [
      createEvent(Topics.SyncActivity, companyA, activity('succeeded', 'doc-paid')),
      createEvent(Topics.SyncActivity, companyA, activity('failed', 'doc-bad')),
      createEvent(Topics.SyncActivity, companyA, activity('succeeded', 'poll', 'reconciliation.pull')),
      createEvent(Topics.SyncActivity, companyB, activity('succeeded', 'doc-of-b')),
      createEvent(Topics.InvoiceRequested, companyA, {
        requestId: 'inv-old', clientId: 'c-1', date: '2026-09-01', dueDate: '2026-09-15', currencyCode: 'NZD', status: 'AUTHORISED',
        lineItems: [{ description: 'Work', quantity: '1', unitAmount: '100.00' }],
      }),
      createEvent(Topics.InvoiceRequested, companyA, {
        requestId: 'inv-paid', clientId: 'c-1', date: '2026-11-01', dueDate: '2026-11-30', currencyCode: 'NZD', status: 'AUTHORISED',
        lineItems: [{ description: 'Work', quantity: '1', unitAmount: '50.00' }],
      }),
      createEvent(Topics.InvoiceFailed, companyA, { requestId: 'inv-bad', clientId: 'c-1', failure }),
      createEvent(Topics.QuoteCreated, companyA, { requestId: 'q-1', clientId: 'c-1', xeroId: randomUUID(), number: 'QU-1', status: 'SENT', subTotal: '10.00', totalTax: '1.50', total: '11.50', currencyCode: 'NZD' }),
      createEvent(Topics.XeroConnectionConnected, companyA, { connectionId: randomUUID(), tenantId: randomUUID(), organisationName: 'Harbour Org', connectedBy: 'admin' }),
    ];
    const oldXero = randomUUID();
    const paidXero = randomUUID();
    const later = [
      createEvent(Topics.InvoiceCreated, companyA, { requestId: 'inv-old', clientId: 'c-1', xeroId: oldXero, number: 'INV-1', status: 'AUTHORISED', subTotal: '100.00', totalTax: '15.00', total: '115.00', amountDue: '115.00', currencyCode: 'NZD' }),
      createEvent(Topics.InvoiceCreated, companyA, { requestId: 'inv-paid', clientId: 'c-1', xeroId: paidXero, number: 'INV-2', status: 'AUTHORISED', subTotal: '50.00', totalTax: '7.50', total: '57.50', amountDue: '57.50', currencyCode: 'NZD' }),
      createEvent(Topics.InvoicePaid, companyA, { xeroInvoiceId: paidXero, total: '57.50', amountPaid: '57.50', amountDue: '0.00', currencyCode: 'NZD' }),
      createEvent(Topics.InvoicePartiallyPaid, companyA, { xeroInvoiceId: oldXero, requestId: 'inv-old', total: '115.00', amountPaid: '15.00', amountDue: '100.00', currencyCode: 'NZD' }),
    ];
    for (const event of events) await send(event.type, event.companyId, JSON.stringify(event));
    // A sync.activity that breaks its contract: the console dead-letters it, then lists the dead letter.
    await send(Topics.SyncActivity, companyA, JSON.stringify({ ...createEvent(Topics.SyncActivity, companyA, activity('succeeded', 'x')), payload: { service: 'documents' } }));
    await eventually('the invoices requested', async () => (await call(replicas[0], 'GET', '/v1/console/overview', tokenA)).body['quotes'] && true);
    for (const event of later) await send(event.type, event.companyId, JSON.stringify(event));

    const log = await eventually('the sync log of company A', async () => {
      const { body } = await call(replicas[0], 'GET', '/v1/console/sync-log', tokenA);
      return body['total'] === 3 && body;
    });
    expect(log.items!.map((e) => e['target']).sort()).toEqual(['doc-bad', 'doc-paid', 'poll']);
    const failed = await call(replicas[1], 'GET', '/v1/console/sync-log?entity=invoice&status=failed', tokenA);
    expect(failed.body.items!.map((e) => e['target'])).toEqual(['doc-bad']);
    expect((await call(replicas[1], 'GET', '/v1/console/sync-log?q=4999', tokenA)).body.items!.map((e) => e['target'])).toEqual(['doc-bad']);
    expect((await call(replicas[1], 'GET', '/v1/console/sync-log?entity=payment', tokenA)).body.items!.map((e) => e['direction'])).toEqual(['pull']);
    expect((await call(replicas[1], 'GET', `/v1/console/sync-log?to=${encodeURIComponent('2020-01-01T00:00:00Z')}`, tokenA)).body['total']).toBe(0);
    const detail = await call(replicas[1], 'GET', `/v1/console/sync-log/${failed.body.items![0]['id']}`, tokenA);
    expect(detail.body).toMatchObject({ kind: 'invoice.create', outcome: 'failed', xeroStatus: 400, failure });
    // Another company's entry is not found, not shown.
    expect((await call(replicas[1], 'GET', `/v1/console/sync-log/${failed.body.items![0]['id']}`, tokenB)).status).toBe(404);
    expect((await call(replicas[0], 'GET', '/v1/console/sync-log', tokenB)).body.items!.map((e) => e['target'])).toEqual(['doc-of-b']);

    const errors = await eventually('the errors of company A', async () => {
      const { body } = await call(replicas[0], 'GET', '/v1/console/errors', tokenA);
      return body['total'] === 2 && body;
    });
    const outcome = errors.items!.find((e) => e['source'] === 'outcome')!;
    expect(outcome).toMatchObject({ topic: 'invoice.failed', entity: 'invoice', reference: 'inv-bad', code: 'XERO_VALIDATION', messages: failure.messages, retry: { service: 'documents', documentType: 'invoice', requestId: 'inv-bad' } });
    const letter = errors.items!.find((e) => e['source'] === 'dead_letter')!;
    expect(letter).toMatchObject({ topic: 'sync.activity', entity: 'sync' });
    expect(letter['reason']).toContain('payload');
    const letterDetail = await call(replicas[1], 'GET', `/v1/console/errors/${letter['id']}`, tokenA);
    expect(letterDetail.body['originalEvent']).toMatchObject({ type: 'sync.activity', companyId: companyA, payload: { service: 'documents' } });
    expect((await call(replicas[1], 'GET', '/v1/console/errors?source=dead_letter', tokenA)).body['total']).toBe(1);
    expect((await call(replicas[1], 'GET', '/v1/console/errors', tokenB)).body['total']).toBe(0);

    const info = await call(replicas[0], 'GET', '/v1/console/sync-info', tokenA);
    const byEntity = Object.fromEntries((info.body['entities'] as Record<string, unknown>[]).map((e) => [e['entity'], e]));
    expect(byEntity['invoice']).toMatchObject({ pending: 0, lastPullAt: null });
    expect(byEntity['invoice']['lastPushAt']).toEqual(expect.any(String));
    expect(byEntity['invoice']['lastFailureAt']).toEqual(expect.any(String));
    expect(byEntity['payment']['lastPullAt']).toEqual(expect.any(String));

    const overview = await eventually('the overview of company A', async () => {
      const { body } = await call(replicas[1], 'GET', '/v1/console/overview?asOf=2026-12-01', tokenA);
      const invoices = body['invoices'] as Record<string, unknown>;
      return invoices['paid'] === 1 && (invoices['byStatus'] as Record<string, number>)['partially_paid'] === 1 && body;
    });
    expect(overview['invoices']).toMatchObject({
      raised: 2,
      paid: 1,
      outstanding: 1,
      overdue: 1,
      failed: 1,
      receivables: [
        {
          currencyCode: 'NZD',
          outstanding: { count: 1, amount: '100.00' },
          overdue: { count: 1, amount: '100.00' },
          buckets: { current: { count: 0, amount: '0.00' }, '61-90': { count: 1, amount: '100.00' } },
        },
      ],
    });
    expect((overview['quotes'] as Record<string, unknown>)['byStatus']).toMatchObject({ sent: 1 });
    expect(overview['connection']).toMatchObject({ status: 'connected', organisationName: 'Harbour Org' });
    const other = await call(replicas[1], 'GET', '/v1/console/overview', tokenB);
    expect(other.body).toMatchObject({ connection: null, invoices: { raised: 0, paid: 0, outstanding: 0 } });
  });

  it('runs one sync per company and scope across replicas, announces it, and streams its progress with resume', async () => {
    // Both replicas at once: the lock is one row, so exactly one request wins.
    const race = await Promise.all(replicas.map((replica) => call(replica, 'POST', '/v1/console/syncs', tokenA, { scope: 'contacts' })));
    expect(race.map((r) => r.status).sort()).toEqual([202, 409]);
    const started = race.find((r) => r.status === 202)!.body['syncs'] as { syncId: string; scope: string }[];
    const syncId = started[0].syncId;
    const refused = race.find((r) => r.status === 409)!.body;
    expect(refused).toMatchObject({ code: 'SYNC_RUNNING', problems: expect.arrayContaining([`syncId: ${syncId}`, 'scope: contacts']) });
    expect(refused['message']).toContain(syncId);
    // `all` includes contacts, which is taken: nothing of it starts.
    expect((await call(replicas[1], 'POST', '/v1/console/syncs', tokenA, { scope: 'all' })).status).toBe(409);
    // Another company, or another scope, is not held up.
    expect((await call(replicas[1], 'POST', '/v1/console/syncs', tokenB, { scope: 'contacts' })).status).toBe(202);
    expect((await call(replicas[1], 'POST', '/v1/console/syncs', tokenA, { scope: 'bogus' })).status).toBe(400);

    const requested = await probe.waitFor('sync.requested', (m) => m.json<{ payload: { syncId: string } }>().payload.syncId === syncId);
    expect(requested.key).toBe(companyA);
    expect(requested.json()).toMatchObject({ type: 'sync.requested', companyId: companyA, payload: { syncId, scope: 'contacts' } });
    expect(probe.on(topic(Topics.SyncRequested)).filter((m) => m.json<{ companyId: string }>().companyId === companyA)).toHaveLength(1);

    // The stream, read as a browser's EventSource would, from one replica while progress is consumed by either.
    const stream = await openStream(replicas[0], syncId, tokenA);
    await progress(companyA, { syncId, scope: 'contacts', state: 'running', pagesRead: 1, recordsChanged: 4, errors: 0 });
    const first = await stream.until((events) => events.some((e) => e.data['state'] === 'running'));
    expect(first.map((e) => e.id)).toEqual([1, 2]);
    expect(first.map((e) => e.data['state'])).toEqual(['requested', 'running']);
    expect(first[1].data).toMatchObject({ pagesRead: 1, recordsChanged: 4, errors: 0, scope: 'contacts' });
    stream.close();

    // While disconnected: more progress, then done. Resuming after id 2 gets exactly what was missed, and the stream ends.
    await progress(companyA, { syncId, scope: 'contacts', state: 'running', pagesRead: 2, recordsChanged: 9, errors: 1 });
    await progress(companyA, { syncId, scope: 'contacts', state: 'done', pagesRead: 2, recordsChanged: 9, errors: 1 });
    await eventually('the sync to be done', async () => (await call(replicas[1], 'GET', `/v1/console/syncs/${syncId}`, tokenA)).body['state'] === 'done');
    const resumed = await openStream(replicas[1], syncId, tokenA, '2');
    const rest = await resumed.ended;
    expect(rest.map((e) => [e.id, e.data['state'], e.data['pagesRead']])).toEqual([
      [3, 'running', 2],
      [4, 'done', 2],
    ]);
    // Another company's sync is not there for B.
    expect((await fetch(`${replicas[0].url}/v1/console/syncs/${syncId}/events`, { headers: { authorization: tokenB } })).status).toBe(404);

    // Done released the lock: the next contacts sync starts.
    expect((await call(replicas[1], 'POST', '/v1/console/syncs', tokenA, { scope: 'contacts' })).status).toBe(202);
  });

  it('gives up a sync whose worker falls silent for the lease, releasing the lock and ending its stream', async () => {
    const first = await call(replicas[0], 'POST', '/v1/console/syncs', tokenA, { scope: 'payments' });
    expect(first.status).toBe(202);
    const syncId = (first.body['syncs'] as { syncId: string }[])[0].syncId;
    expect((await call(replicas[1], 'POST', '/v1/console/syncs', tokenA, { scope: 'payments' })).status).toBe(409);
    // Progress keeps it alive past one lease...
    const until = Date.now() + LEASE_MS * 1.5;
    while (Date.now() < until) {
      await progress(companyA, { syncId, scope: 'payments', state: 'running', pagesRead: 1, recordsChanged: 0, errors: 0 });
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS / 4));
    }
    await eventually('progress recorded', async () => (await call(replicas[0], 'GET', `/v1/console/syncs/${syncId}`, tokenA)).body['state'] === 'running');
    expect((await call(replicas[1], 'POST', '/v1/console/syncs', tokenA, { scope: 'payments' })).status).toBe(409);
    // ...then silence: the stream ends as expired, and a new sync takes the lock.
    const stream = await openStream(replicas[1], syncId, tokenA);
    const events = await stream.ended;
    const last = events[events.length - 1];
    expect(last.data).toMatchObject({ state: 'expired', failure: { code: 'UNEXPECTED' } });
    expect(String((last.data['failure'] as FailureDetail).messages[0])).toContain(`no progress for ${LEASE_MS} ms`);
    const next = await call(replicas[0], 'POST', '/v1/console/syncs', tokenA, { scope: 'payments' });
    expect(next.status).toBe(202);
    // A late word from the dead worker changes nothing.
    await progress(companyA, { syncId, scope: 'payments', state: 'done', pagesRead: 1, recordsChanged: 0, errors: 0 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await call(replicas[0], 'GET', `/v1/console/syncs/${syncId}`, tokenA)).body['state']).toBe('expired');
  });
});

interface StreamEvent {
  id: number;
  event: string;
  data: Record<string, unknown>;
}

/** Reads a Server-Sent Events response as it arrives, parsing events the way EventSource does. */
async function openStream(replica: ServiceProcess, syncId: string, authorization: string, lastEventId?: string) {
  const controller = new AbortController();
  const response = await fetch(`${replica.url}/v1/console/syncs/${syncId}/events`, {
    headers: { authorization, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const events: StreamEvent[] = [];
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const fields = Object.fromEntries(block.split('\n').filter((line) => line && !line.startsWith(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
          if (fields['data']) events.push({ id: Number(fields['id']), event: fields['event'], data: JSON.parse(fields['data']) as Record<string, unknown> });
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
    return events;
  })();
  return {
    ended,
    until: (done: (events: StreamEvent[]) => boolean) => eventually('stream events', () => done(events) && [...events], 20_000, 20),
    close: () => controller.abort(),
  };
}
