import {
  bearerToken,
  createTestDatabase,
  ensureKafka,
  freePort,
  JwtSettings,
  KafkaProbe,
  migrateService,
  REPO_ROOT,
  SandboxOrganisation,
  ServiceProcess,
  startServiceProcess,
  TestDatabase,
  uniqueId,
} from '@ledgerline/testing';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export const SERVICES = ['connections', 'contacts', 'documents', 'payments'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface Platform {
  sandbox: ServiceProcess;
  services: Record<ServiceName, ServiceProcess>;
  /** The console (its admin page included), when started with `console: true`. */
  console?: ServiceProcess;
  probe: KafkaProbe;
  prefix: string;
  jwt: JwtSettings;
  /** Every secret the platform runs with; none may appear in its output. */
  secrets: string[];
  topic(name: string): string;
  /** The environment every service runs with (database, Kafka, Xero, secrets). */
  env: NodeJS.ProcessEnv;
  /** Stops one service with `signal` (returns its exit code) and starts it again as a new process. */
  restartService(name: ServiceName, signal?: NodeJS.Signals): Promise<number | null>;
  close(): Promise<void>;
}

/**
 * The whole platform as it runs in production, on this machine: a fresh database, the real Kafka broker
 * (topics under a prefix of this run's own), the Xero sandbox, and every service its own Node process.
 */
export async function startPlatform(options: {
  env?: NodeJS.ProcessEnv;
  watch: string[];
  databaseServerUrl?: string;
  /**
   * Also the console, on the same database and topics, with its admin page built and the dev sign-in on. Xero then
   * sends a consenting admin back to the console's page, as `npm start` does; `connectCompany` reads the code from the
   * redirect either way.
   */
  console?: boolean;
}): Promise<Platform> {
  const prefix = `${uniqueId('e2e-')}.`;
  const [database, brokers] = await Promise.all([createTestDatabase(options.databaseServerUrl), ensureKafka()]);
  const ports = { sandbox: await freePort(), connections: await freePort(), contacts: await freePort(), documents: await freePort(), payments: await freePort() };
  const jwt: JwtSettings = { secret: `jwt-${randomBytes(24).toString('hex')}`, issuer: 'ledgerline-gateway', audience: 'ledgerline-api' };
  const internalToken = `internal-${randomBytes(24).toString('hex')}`;
  const encryptionKey = randomBytes(32).toString('base64');
  const webhookKey = `webhook-${randomBytes(24).toString('hex')}`;
  const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
  const connectionsUrl = `http://127.0.0.1:${ports.connections}`;
  const consolePort = options.console ? await freePort() : undefined;

  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'info',
    EVENT_RETRY_BASE_MS: '100',
    XERO_API_BASE_URL: sandboxUrl,
    XERO_AUTHORIZE_URL: `${sandboxUrl}/identity/connect/authorize`,
    XERO_TOKEN_URL: `${sandboxUrl}/connect/token`,
    XERO_REVOCATION_URL: `${sandboxUrl}/connect/revocation`,
    XERO_REDIRECT_URI: consolePort ? `http://127.0.0.1:${consolePort}/connect/callback` : `${connectionsUrl}/v1/connections/xero/callback`,
    CONNECTIONS_INTERNAL_URL: connectionsUrl,
    INTERNAL_API_TOKEN: internalToken,
    JWT_SECRET: jwt.secret,
    JWT_ISSUER: jwt.issuer,
    JWT_AUDIENCE: jwt.audience,
    TOKEN_ENCRYPTION_KEYS: `e2e:${encryptionKey}`,
    TOKEN_ENCRYPTION_ACTIVE_KEY: 'e2e',
    XERO_WEBHOOK_KEY: webhookKey,
    ...options.env,
  };

  const pageBuilt = options.console ? buildConsolePage() : undefined;
  // Awaited below; until then a failed build must not count as an unhandled rejection.
  pageBuilt?.catch(() => undefined);
  const migrating: string[] = options.console ? [...SERVICES, 'console'] : [...SERVICES];
  for (const service of migrating) await migrateService(service, database.url);

  // Whatever started is stopped again if the rest does not: a half-started platform would keep Jest from exiting.
  const running: Array<{ stop: () => Promise<unknown> }> = [];
  const starting = async <T extends { stop: () => Promise<unknown> }>(part: Promise<T>): Promise<T> => {
    const started = await part;
    running.push(started);
    return started;
  };
  let probe: KafkaProbe | undefined;
  try {
    probe = new KafkaProbe(brokers);
    await probe.watch(options.watch.map((topic) => `${prefix}${topic}`));
    const sandbox = await starting(startServiceProcess({ entry: 'apps/xero-sandbox/src/main.ts', port: ports.sandbox, readyPath: '/health/live', env: { LOG_LEVEL: 'warn' } }));
    // The console needs the others only when its page calls them: it starts beside them, once its page is built.
    const consoleStarting = consolePort && pageBuilt ? starting(pageBuilt.then(() => startConsole(consolePort, env, ports))) : undefined;
    consoleStarting?.catch(() => undefined);
    const settled = await Promise.allSettled(SERVICES.map((service) => starting(startServiceProcess({ entry: `apps/${service}/src/main.ts`, port: ports[service], env }))));
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    const started = settled.map((result) => (result as PromiseFulfilledResult<ServiceProcess>).value);
    const services = Object.fromEntries(SERVICES.map((service, i) => [service, started[i]])) as Record<ServiceName, ServiceProcess>;
    const consoleProcess = consoleStarting ? await consoleStarting : undefined;
    return platformOf({ sandbox, services, consoleProcess, probe, prefix, jwt, env, ports, database, secrets: [jwt.secret, internalToken, encryptionKey, webhookKey] });
  } catch (error) {
    await Promise.allSettled(running.map((part) => part.stop()));
    await probe?.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
    throw error;
  }
}

function platformOf(parts: {
  sandbox: ServiceProcess;
  services: Record<ServiceName, ServiceProcess>;
  consoleProcess?: ServiceProcess;
  probe: KafkaProbe;
  prefix: string;
  jwt: JwtSettings;
  env: NodeJS.ProcessEnv;
  ports: Record<ServiceName, number>;
  database: TestDatabase;
  secrets: string[];
}): Platform {
  const { sandbox, services, consoleProcess, probe, prefix, jwt, env, ports, database, secrets } = parts;
  return {
    sandbox,
    services,
    console: consoleProcess,
    probe,
    prefix,
    jwt,
    secrets,
    topic: (name) => `${prefix}${name}`,
    env,
    restartService: async (name, signal = 'SIGTERM') => {
      const code = await services[name].stop(signal);
      services[name] = await startServiceProcess({ entry: `apps/${name}/src/main.ts`, port: ports[name], env });
      return code;
    },
    close: async () => {
      await Promise.all([...Object.values(services), ...(consoleProcess ? [consoleProcess] : [])].map((service) => service.stop()));
      await sandbox.stop();
      await probe.close();
      await database.drop();
    },
  };
}

/** Builds the console's admin page (Vite, a few seconds) while the rest of the platform starts. */
function buildConsolePage(): Promise<void> {
  return new Promise((resolve, reject) => {
    const build = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/console/vite.config.mts'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    build.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    build.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    build.once('error', reject);
    build.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the console's page did not build (exit ${code}): ${output.slice(-4000)}`))));
  });
}

/** Starts the console in front of the platform's services, with the dev sign-in on. */
function startConsole(port: number, env: NodeJS.ProcessEnv, ports: Record<ServiceName, number>): Promise<ServiceProcess> {
  const url = (service: ServiceName) => `http://127.0.0.1:${ports[service]}`;
  return startServiceProcess({
    entry: 'apps/console/src/main.ts',
    port,
    env: {
      ...env,
      CONSOLE_DEV_SIGN_IN: 'true',
      CONSOLE_SSE_POLL_MS: '100',
      CONSOLE_CONNECTIONS_URL: url('connections'),
      CONSOLE_CONTACTS_URL: url('contacts'),
      CONSOLE_DOCUMENTS_URL: url('documents'),
      CONSOLE_PAYMENTS_URL: url('payments'),
    },
  });
}

async function json(response: Response, what: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Connects a company to a new sandbox organisation the way a practice admin would: start connecting,
 * approve at Xero (the sandbox approves without a page), and hand the callback to Ledgerline.
 */
export async function connectCompany(platform: Platform, companyId: string, organisationName: string): Promise<SandboxOrganisation> {
  return connectCompanyTo(platform, companyId, await SandboxOrganisation.create(platform.sandbox.url, organisationName));
}

/** Connects (or reconnects) a company to an organisation the sandbox already has, as `connectCompany` does. */
export async function connectCompanyTo(platform: Platform, companyId: string, organisation: SandboxOrganisation): Promise<SandboxOrganisation> {
  const authorization = bearerToken(platform.jwt, { sub: `admin@${companyId}`, companyId, role: 'practice_admin' });
  const connections = platform.services.connections.url;

  const started = await json(await fetch(`${connections}/v1/connections/xero/authorize`, { method: 'POST', headers: { authorization } }), 'authorize');
  const approve = new URL(started['authorizeUrl'] as string);
  approve.searchParams.set('sandbox_auto_approve', organisation.tenantId);
  const consent = await fetch(approve, { redirect: 'manual' });
  const back = new URL(consent.headers.get('location') ?? '');
  if (!back.searchParams.get('code')) throw new Error(`Xero did not send a code back: ${back.toString()}`);

  const status = await json(await fetch(`${connections}/v1/connections/xero/callback${back.search}`, { headers: { authorization } }), 'callback');
  if (status['status'] !== 'connected' || status['tenantId'] !== organisation.tenantId) {
    throw new Error(`the connection did not settle on ${organisation.tenantId}: ${JSON.stringify(status)}`);
  }
  return organisation;
}
