import { JwtService } from '@nestjs/jwt';
import {
  createTestDatabase,
  ensureKafka,
  freePort,
  KafkaProbe,
  migrateService,
  ServiceProcess,
  startServiceProcess,
  uniqueId,
} from '@ledgerline/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TokenEndpointProxy } from './token-proxy';

export const CLIENT_ID = 'ledgerline-dev';
export const CLIENT_SECRET = 'ledgerline-dev-secret';
export const JWT_ISSUER = 'https://gateway.ledgerline.test';
export const JWT_AUDIENCE = 'ledgerline-api';

export type Role = 'super_admin' | 'practice_admin' | 'accountant' | 'client';

/** Secrets one test file runs with; every one of them must stay out of logs. */
export function testSecrets() {
  return {
    k1: randomBytes(32).toString('base64'),
    k2: randomBytes(32).toString('base64'),
    jwtSecret: `jwt-${randomBytes(24).toString('hex')}`,
    internalToken: `int-${randomBytes(24).toString('hex')}`,
  };
}

export interface Harness {
  database: { url: string; drop: () => Promise<void> };
  brokers: string;
  prefix: string;
  sandbox: ServiceProcess;
  proxy: TokenEndpointProxy;
  probe: KafkaProbe;
  secrets: ReturnType<typeof testSecrets>;
  db: Client;
  /** Where Xero sends the browser back; the test plays the front end and forwards it to the callback endpoint. */
  redirectUri: string;
  /** The port of the first connections process (the one XERO_REDIRECT_URI points at). */
  firstServicePort: number;
  services: ServiceProcess[];
  /** Every JWT the test signed (they must stay out of logs too). */
  issuedJwts: Set<string>;
  close(): Promise<void>;
}

/** Postgres (fresh database, migrated), Kafka (probe on the connection topics), the sandbox, and the token proxy. */
export async function startHarness(options: { sandboxEnv?: NodeJS.ProcessEnv } = {}): Promise<Harness> {
  const prefix = `${uniqueId('conn-')}.`;
  const [database, brokers, sandboxPort, servicePort] = await Promise.all([createTestDatabase(), ensureKafka(), freePort(), freePort()]);
  await migrateService('connections', database.url);

  const sandbox = await startServiceProcess({
    entry: 'apps/xero-sandbox/src/main.ts',
    readyPath: '/health/live',
    port: sandboxPort,
    env: { LOG_LEVEL: 'warn', SANDBOX_ORGANISATIONS: 'none', ...options.sandboxEnv },
  });
  const proxy = new TokenEndpointProxy(`${sandbox.url}/connect/token`);
  await proxy.start();
  const probe = new KafkaProbe(brokers);
  await probe.watch(['xero.connection.connected', 'xero.connection.disconnected', 'xero.connection.expired'].map((t) => `${prefix}${t}`));
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const harness: Harness = {
    database,
    brokers,
    prefix,
    sandbox,
    proxy,
    probe,
    secrets: testSecrets(),
    db,
    redirectUri: `http://127.0.0.1:${servicePort}/v1/connections/xero/callback`,
    firstServicePort: servicePort,
    services: [],
    issuedJwts: new Set(),
    close: async () => {
      await Promise.all(harness.services.map((s) => s.stop()));
      await probe.close();
      await proxy.stop();
      await sandbox.stop();
      await db.end();
      await database.drop();
    },
  };
  return harness;
}

/** The environment of a connections process (secrets required by its config). */
export function testServiceEnv(secrets: ReturnType<typeof testSecrets>, keys: { keys?: string; active?: string } = {}): NodeJS.ProcessEnv {
  return {
    TOKEN_ENCRYPTION_KEYS: keys.keys ?? `k1:${secrets.k1}`,
    TOKEN_ENCRYPTION_ACTIVE_KEY: keys.active ?? 'k1',
    JWT_SECRET: secrets.jwtSecret,
    JWT_ISSUER,
    JWT_AUDIENCE,
    INTERNAL_API_TOKEN: secrets.internalToken,
  };
}

/** Starts one connections process against the harness; the first one listens where XERO_REDIRECT_URI points. */
export async function startConnections(harness: Harness, env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
  const port = harness.services.every((s) => s.process.exitCode !== null || s.process.signalCode !== null) ? harness.firstServicePort : await freePort();
  const service = await startServiceProcess({
    entry: 'apps/connections/src/main.ts',
    port,
    env: {
      DATABASE_URL: harness.database.url,
      KAFKA_BROKERS: harness.brokers,
      KAFKA_TOPIC_PREFIX: harness.prefix,
      LOG_LEVEL: 'debug',
      XERO_CLIENT_ID: CLIENT_ID,
      XERO_CLIENT_SECRET: CLIENT_SECRET,
      XERO_REDIRECT_URI: harness.redirectUri,
      XERO_AUTHORIZE_URL: `${harness.sandbox.url}/identity/connect/authorize`,
      XERO_TOKEN_URL: harness.proxy.url,
      XERO_REVOCATION_URL: `${harness.sandbox.url}/connect/revocation`,
      XERO_API_BASE_URL: harness.sandbox.url,
      ...testServiceEnv(harness.secrets),
      ...env,
    },
  });
  harness.services.push(service);
  return service;
}

export function jwtFor(harness: Harness, claims: { sub: string; companyId: string; role: Role }): string {
  const token = new JwtService().sign(claims, { secret: harness.secrets.jwtSecret, issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn: 600, algorithm: 'HS256' });
  harness.issuedJwts.add(token);
  return token;
}

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  url: string,
  options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers: {
      accept: 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    redirect: 'manual',
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Keep the text.
  }
  return { status: response.status, body: body as T };
}

/** The answer of the internal access-token endpoint, as the other services get it. */
export interface IssuedToken {
  accessToken: string;
  tenantId: string;
  expiresAt: string;
  code?: string;
}

/**
 * Asks a connections process for a company's access token over its internal endpoint, with the internal
 * token (or `token`), reporting a refused one by its fingerprint when `rejected` is given.
 */
export function internalAccessToken(
  harness: Harness,
  service: ServiceProcess,
  companyId: string,
  options: { rejected?: string; token?: string } = {},
): Promise<ApiAnswer<IssuedToken>> {
  const query = options.rejected === undefined ? '' : `?rejected=${options.rejected}`;
  return call<IssuedToken>(`${service.url}/internal/v1/companies/${companyId}/access-token${query}`, { token: options.token ?? harness.secrets.internalToken });
}

/** Creates an organisation in the sandbox. */
export async function createOrganisation(harness: Harness, name: string): Promise<string> {
  const created = await call<{ tenantId: string }>(`${harness.sandbox.url}/__sandbox/organisations`, { method: 'POST', body: { name } });
  if (created.status >= 300) throw new Error(`could not create organisation ${name}: ${JSON.stringify(created.body)}`);
  return created.body.tenantId;
}

/**
 * Another Xero user in the sandbox. Revoking a refresh token removes all of its user's connections to the
 * app, so companies whose grants a test revokes connect as users of their own.
 */
export async function addXeroUser(harness: Harness, email: string): Promise<string> {
  const created = await call<{ id: string }>(`${harness.sandbox.url}/__sandbox/users`, { method: 'POST', body: { email } });
  if (created.status >= 300) throw new Error(`could not add Xero user ${email}: ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** Token refreshes the sandbox performed for the dev client: rotations and grace-period replays. */
export async function sandboxRefreshes(harness: Harness): Promise<{ rotated: number; replayed: number }> {
  const counters = await call<{ tokenRefreshes: { byClient: Record<string, { rotated: number; replayed: number }> } }>(`${harness.sandbox.url}/__sandbox/counters`);
  return counters.body.tokenRefreshes.byClient[CLIENT_ID] ?? { rotated: 0, replayed: 0 };
}

export async function advanceSandboxClock(harness: Harness, by: { minutes?: number; days?: number }): Promise<void> {
  const moved = await call(`${harness.sandbox.url}/__sandbox/clock/advance`, { method: 'POST', body: by });
  if (moved.status !== 200) throw new Error(`could not move the sandbox clock: ${JSON.stringify(moved.body)}`);
}

/** Calls the sandbox's accounting API with a token; 200 means Xero accepts it for that organisation. */
export function organisationWith(harness: Harness, accessToken: string, tenantId: string): Promise<ApiAnswer<{ Organisations?: { Name: string }[] }>> {
  return call(`${harness.sandbox.url}/api.xro/2.0/Organisation`, { token: accessToken, headers: { 'xero-tenant-id': tenantId } });
}

/**
 * The whole connect flow over HTTP, as a front end would drive it: ask the service for Xero's authorize
 * URL, let the sandbox approve `tenantIds` (its auto-approve switch stands in for the user's clicks), and
 * forward Xero's redirect (code + state) to the callback endpoint with the user's JWT.
 */
export async function connectOverHttp(
  harness: Harness,
  service: ServiceProcess,
  token: string,
  tenantIds: string[],
  options: { companyId?: string; xeroUserId?: string } = {},
): Promise<{ callback: ApiAnswer; callbackUrl: string; authorizeUrl: string }> {
  const query = options.companyId ? `?companyId=${encodeURIComponent(options.companyId)}` : '';
  const started = await call<{ authorizeUrl: string }>(`${service.url}/v1/connections/xero/authorize${query}`, { method: 'POST', token });
  if (started.status !== 201) throw new Error(`authorize answered ${started.status}: ${JSON.stringify(started.body)}`);
  const callbackUrl = await approveAtXero(started.body.authorizeUrl, tenantIds, options.xeroUserId);
  const callback = await call(callbackUrl.replace(/^http:\/\/127\.0\.0\.1:\d+/, service.url), { token });
  return { callback, callbackUrl, authorizeUrl: started.body.authorizeUrl };
}

/** Lets the sandbox approve an authorize URL (as `xeroUserId`, else its default user) and returns where it redirects the browser. */
export async function approveAtXero(authorizeUrl: string, tenantIds: string[] | 'deny', xeroUserId?: string): Promise<string> {
  const url = new URL(authorizeUrl);
  url.searchParams.set('sandbox_auto_approve', tenantIds === 'deny' ? 'deny' : tenantIds.join(','));
  if (xeroUserId) url.searchParams.set('sandbox_user', xeroUserId);
  const consent = await fetch(url, { redirect: 'manual' });
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`the sandbox did not redirect (${consent.status}): ${await consent.text()}`);
  return location;
}

/** Every value stored in the connections schema, as text, table by table. */
export async function schemaDump(db: Client): Promise<string> {
  const tables = await db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'connections'`);
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM "connections"."${table_name}" t`);
    parts.push(...rows.rows.map((r) => `${table_name}: ${r.row}`));
  }
  return parts.join('\n');
}
