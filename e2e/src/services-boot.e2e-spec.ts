import { createTestDatabase, ensureKafka, freePort, REPO_ROOT, ServiceProcess, startServiceProcess, uniqueId } from '@ledgerline/testing';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

jest.setTimeout(180_000);

const SERVICES = ['connections', 'contacts', 'documents', 'payments'] as const;
/** Xero calls these itself: the webhook is signed (its errors have empty bodies), the callback is a browser redirect with the admin's JWT. */
const UNAUTHENTICATED = ['POST /v1/webhooks/xero'];
/** Routes that are easy to leave out of a description: each must be among those registered (and so documented). */
const EXPECTED_ROUTES: Record<(typeof SERVICES)[number], string[]> = {
  connections: ['GET /v1/connections/xero/callback', 'GET /internal/v1/companies/{companyId}/access-token'],
  contacts: [],
  documents: ['POST /v1/documents/{id}/retry'],
  payments: ['POST /v1/webhooks/xero'],
};

let database: { url: string; drop: () => Promise<void> };
let env: NodeJS.ProcessEnv;
const running: ServiceProcess[] = [];
const started = new Map<string, ServiceProcess>();

type OpenApiOperation = { security?: Record<string, string[]>[]; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> };
type OpenApiDocument = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, OpenApiOperation>> };

/**
 * The routes Nest registered in the running service, from its router's own startup log ("Mapped {/path, GET}
 * route"), as `METHOD /path` with OpenAPI's `{param}` for Nest's `:param`.
 */
function registeredRoutes(output: string): string[] {
  const routes = [...output.matchAll(/Mapped \{(\/[^,}]*), (\w+)\} route/g)].map(([, route, method]) => `${method} ${route.replace(/:(\w+)/g, '{$1}')}`);
  return [...new Set(routes)].sort();
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths)
    .flatMap(([route, item]) =>
      Object.keys(item)
        .filter((key) => HTTP_METHODS.includes(key))
        .map((method) => `${method.toUpperCase()} ${route}`),
    )
    .sort();
}

/**
 * Runs a TypeScript entry to its end. Asynchronously: a blocked event loop would not see the services close idle
 * keep-alive sockets, and the next fetch to one of them would be sent on a socket the server already closed.
 */
const node = (entry: string, extraEnv: NodeJS.ProcessEnv) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', path.join(REPO_ROOT, entry)],
      { cwd: REPO_ROOT, env: { ...process.env, ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
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
    const migrated = await node(`apps/${service}/src/migrate.ts`, {});
    expect(migrated.stderr).toBe('');
    expect(migrated.stdout).toMatch(new RegExp(`^${service}: \\d+ migration\\(s\\) applied`));

    const process = await startServiceProcess({ entry: `apps/${service}/src/main.ts`, port: await freePort(), env });
    running.push(process);
    started.set(service, process);
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

  it.each(SERVICES)('%s serves its OpenAPI 3 document at /docs-json, listing every route it registered, and Swagger UI at /docs, without auth', async (service) => {
    const process = started.get(service);
    if (!process) throw new Error(`${service} did not start (see the test above)`);
    const response = await fetch(`${process.url}/docs-json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as OpenApiDocument;
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(document.info).toMatchObject({ title: `Ledgerline ${service}`, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });

    const registered = registeredRoutes(process.output());
    expect(registered).toEqual(expect.arrayContaining(['GET /health/live', 'GET /health/ready', 'GET /metrics', ...EXPECTED_ROUTES[service]]));
    expect(documentedRoutes(document)).toEqual(registered);

    const page = await fetch(`${process.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
  });

  it.each(SERVICES)('%s states the auth and the error bodies of every REST operation', async (service) => {
    const process = started.get(service);
    if (!process) throw new Error(`${service} did not start (see the test above)`);
    const document = (await (await fetch(`${process.url}/docs-json`)).json()) as OpenApiDocument;
    const operations = Object.entries(document.paths).flatMap(([route, item]) =>
      Object.entries(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${route}`, operation })),
    );
    const rest = operations.filter(({ route }) => /^\w+ \/(v1|internal)\//.test(route) && !UNAUTHENTICATED.includes(route));
    expect(rest.length).toBeGreaterThan(0);
    for (const { route, operation } of rest) {
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      expect({ route, auth: (operation.security ?? []).length > 0 }).toEqual({ route, auth: true });
      expect({ route, errors: errors.length > 0 }).toEqual({ route, errors: true });
      for (const [status, answer] of errors) {
        expect({ route, status, schema: answer.content?.['application/json']?.schema }).toEqual({ route, status, schema: { $ref: '#/components/schemas/ErrorBody' } });
      }
    }
  });

  it.each(SERVICES)('%s refuses to start on bad config, naming each bad variable', async (service) => {
    const result = await node(`apps/${service}/src/main.ts`, { PORT: 'eighty', KAFKA_BROKERS: 'no-port-here', EVENT_MAX_ATTEMPTS: '0' });
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
