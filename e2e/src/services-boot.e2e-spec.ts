import { createTestDatabase, ensureKafka, freePort, REPO_ROOT, ServiceProcess, startServiceProcess, uniqueId } from '@ledgerline/testing';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

jest.setTimeout(180_000);

const SERVICES = ['connections', 'contacts', 'documents', 'payments'] as const;

let database: { url: string; drop: () => Promise<void> };
let env: NodeJS.ProcessEnv;
const running: ServiceProcess[] = [];

const node = (entry: string, extraEnv: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ['-r', '@swc-node/register', path.join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, ...extraEnv },
    encoding: 'utf8',
    timeout: 60_000,
  });

beforeAll(async () => {
  database = await createTestDatabase();
  env = {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: await ensureKafka(),
    KAFKA_TOPIC_PREFIX: `${uniqueId('boot-')}.`,
    LOG_LEVEL: 'info',
    // Dev values for what services that call Xero or serve REST cannot start without.
    CONNECTIONS_INTERNAL_URL: 'http://127.0.0.1:3001',
    INTERNAL_API_TOKEN: 'boot-test-internal-token-0123456789abcdef',
    JWT_SECRET: 'boot-test-jwt-secret-0123456789abcdef0123456789',
    TOKEN_ENCRYPTION_KEYS: `boot:${randomBytes(32).toString('base64')}`,
    TOKEN_ENCRYPTION_ACTIVE_KEY: 'boot',
    XERO_WEBHOOK_KEY: 'boot-test-webhook-key-0123456789',
  };
});

afterAll(async () => {
  await Promise.all(running.map((service) => service.stop()));
  await database?.drop();
});

describe('every service', () => {
  it.each(SERVICES)('%s migrates its own schema, starts HTTP and Kafka in one process, and reports ready', async (service) => {
    const migrated = node(`apps/${service}/src/migrate.ts`, {});
    expect(migrated.stderr).toBe('');
    expect(migrated.stdout).toMatch(new RegExp(`^${service}: \\d+ migration\\(s\\) applied`));

    const process = await startServiceProcess({ entry: `apps/${service}/src/main.ts`, port: await freePort(), env });
    running.push(process);
    const ready = await fetch(`${process.url}/health/ready`).then((r) => r.json());
    expect(ready).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, kafka: { status: 'up' } } });
    expect((await fetch(`${process.url}/health/live`)).status).toBe(200);
    const firstLine = process
      .output()
      .split('\n')
      .find((line) => line.startsWith('{'));
    expect(JSON.parse(firstLine ?? 'null')).toMatchObject({ service });
    // Every HTTP error of every service has one shape, Nest's own (an unknown route) included.
    const unknown = await fetch(`${process.url}/v1/no-such-route`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('/v1/no-such-route'), problems: [] });
  });

  it.each(SERVICES)('%s refuses to start on bad config, naming each bad variable', (service) => {
    const result = node(`apps/${service}/src/main.ts`, { PORT: 'eighty', KAFKA_BROKERS: 'no-port-here', EVENT_MAX_ATTEMPTS: '0' });
    expect(result.status).toBe(1);
    const line = JSON.parse(result.stderr.trim().split('\n').pop() ?? '{}');
    expect(line).toMatchObject({ level: 'fatal', service });
    expect(line.msg).toContain('PORT must be a whole number');
    expect(line.msg).toContain('KAFKA_BROKERS must be host:port[,host:port...]');
    expect(line.msg).toContain('EVENT_MAX_ATTEMPTS must not be less than 1');
  });
});

// Uses the services the boot cases above started, rather than starting them again.
describe('the Prometheus alert rules (k8s/monitoring)', () => {
  it('use only metrics that the running services expose on /metrics', async () => {
    const rule = parse(readFileSync(path.join(REPO_ROOT, 'k8s/monitoring/prometheus-rules.yaml'), 'utf8')) as {
      spec: { groups: { rules: { alert: string; expr: string }[] }[] };
    };
    const rules = rule.spec.groups.flatMap((group) => group.rules);
    const used = new Set(rules.flatMap((r) => r.expr.match(/\bledgerline_[a-z0-9_]+/g) ?? []));
    expect([...used].sort()).toEqual([
      'ledgerline_consumer_lag_messages',
      'ledgerline_events_dead_lettered_total',
      'ledgerline_outbox_lag_seconds',
      'ledgerline_xero_connections',
      'ledgerline_xero_rate_limited_total',
    ]);

    expect(running).toHaveLength(SERVICES.length);
    const exposed = new Set<string>();
    for (const service of running) {
      const response = await fetch(`${service.url}/metrics`);
      expect(response.status).toBe(200);
      for (const match of (await response.text()).matchAll(/^# TYPE (\S+) /gm)) exposed.add(match[1]);
    }
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
    // And the rest of what an on-call person reads.
    for (const name of [
      'ledgerline_events_consumed_total',
      'ledgerline_xero_calls_total',
      'ledgerline_xero_budget_wait_seconds',
      'ledgerline_documents',
      'ledgerline_xero_operations',
      'ledgerline_outbox_unsent_events',
    ])
      expect(exposed).toContain(name);
  });
});
