import { freePort, REPO_ROOT, startServiceProcess, ServiceProcess, uniqueId } from '@ledgerline/testing';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { connectCompany, Platform, SERVICES, startPlatform } from './support/platform';

jest.setTimeout(180_000);

// The launcher, as a developer runs it: a broker of this file's own with a SASL listener beside the plain one.
const launcher = require(path.join(REPO_ROOT, 'tools/kafka/kafka.cjs')) as {
  start: (env: NodeJS.ProcessEnv) => Promise<{ brokers: string; saslBrokers?: string; sslBrokers?: string; sslCaFile?: string }>;
  stop: (env: NodeJS.ProcessEnv) => Promise<boolean>;
  settings: (env: NodeJS.ProcessEnv) => { runDir: string };
};

const USER = 'ledgerline-e2e';
const PASSWORD = `scram-${uniqueId('pw')}`;
const WRONG_PASSWORD = `wrong-${uniqueId('pw')}`;

let launcherEnv: NodeJS.ProcessEnv;
let saslBrokers: string;
let tls: { brokers: string; caFile: string };
let platform: Platform;
const extra: ServiceProcess[] = [];
const originalBrokers = process.env.KAFKA_BROKERS;

const saslEnv = (password = PASSWORD): NodeJS.ProcessEnv => ({
  KAFKA_BROKERS: saslBrokers,
  KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
  KAFKA_SASL_USERNAME: USER,
  KAFKA_SASL_PASSWORD: password,
});

/** Runs a service to its end (it is expected to refuse to start) and returns its exit code and output. */
const runToEnd = (service: string, env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(REPO_ROOT, `apps/${service}/src/main.ts`)], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });

const fatalLine = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: string; msg: string })
    .find((line) => line.level === 'fatal');

beforeAll(async () => {
  const { KAFKA_BROKERS: _unused, ...rest } = process.env;
  launcherEnv = {
    ...rest,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_SASL_PORT: String(await freePort()),
    KAFKA_SSL_PORT: String(await freePort()),
    KAFKA_HEAP: '256m',
    KAFKA_SASL_LOCAL_USER: USER,
    KAFKA_SASL_LOCAL_PASSWORD: PASSWORD,
  };
  const started = await launcher.start(launcherEnv);
  saslBrokers = started.saslBrokers as string;
  tls = { brokers: started.sslBrokers as string, caFile: started.sslCaFile as string };
  // The platform's probe reads through the plain listener of the same broker; the services log in through SASL.
  process.env.KAFKA_BROKERS = started.brokers;
  platform = await startPlatform({ env: saslEnv(), watch: ['xero.connection.connected'] });
});

afterAll(async () => {
  await Promise.all(extra.map((service) => service.stop()));
  await platform?.close();
  process.env.KAFKA_BROKERS = originalBrokers;
  if (launcherEnv) {
    await launcher.stop(launcherEnv);
    // The node's data is this file's alone: leave nothing behind in the shared cache.
    fs.rmSync(launcher.settings(launcherEnv).runDir, { recursive: true, force: true });
  }
});

describe('Kafka with SASL/SCRAM', () => {
  it('runs every service through the SCRAM listener: ready, producing through the outbox, each consumer in its group', async () => {
    expect(saslBrokers).toMatch(/^127\.0\.0\.1:\d+$/);
    for (const service of SERVICES) {
      const ready = await fetch(`${platform.services[service].url}/health/ready`).then((r) => r.json());
      expect(ready).toMatchObject({ status: 'ok', details: { kafka: { status: 'up' } } });
    }
    // Only a client that logged in could have joined: the broker's plain listener is not in the services' config.
    const admin = new Kafka({ clientId: uniqueId('check-'), brokers: [process.env.KAFKA_BROKERS as string], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      // connections only publishes; the other three consume.
      const groups = await admin.describeGroups(['contacts', 'documents', 'payments'].map((service) => `${platform.prefix}${service}`));
      for (const group of groups.groups) expect({ group: group.groupId, members: group.members.length > 0 }).toEqual({ group: group.groupId, members: true });
    } finally {
      await admin.disconnect();
    }
    // connections' producer logs in too: its outbox relay publishes the connect event.
    const organisation = await connectCompany(platform, 'sasl-co', 'SASL Company Ltd');
    const connected = await platform.probe.waitFor('xero.connection.connected', (m) => m.key === 'sasl-co');
    expect(connected.json()).toMatchObject({ companyId: 'sasl-co', payload: { tenantId: organisation.tenantId } });
    for (const service of SERVICES) expect(platform.services[service].output()).not.toContain(PASSWORD);
  });

  it('stops a service whose password is wrong, naming the problem and never the password', async () => {
    const result = await runToEnd('contacts', { ...baseEnv(), ...saslEnv(WRONG_PASSWORD), PORT: String(await freePort()) });
    expect(result.code).toBe(1);
    const fatal = fatalLine(result.output);
    expect(fatal?.msg).toMatch(/^Kafka refused the login \(SASL SCRAM-SHA-512 as "ledgerline-e2e", no TLS\): check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
    expect(result.output).not.toContain(WRONG_PASSWORD);
    expect(result.output).not.toContain(PASSWORD);
  });

  it('refuses a SASL setting without its user at boot, before connecting', async () => {
    const result = await runToEnd('documents', { ...baseEnv(), ...saslEnv(), KAFKA_SASL_USERNAME: '', PORT: String(await freePort()) });
    expect(result.code).toBe(1);
    expect(fatalLine(result.output)?.msg).toContain('KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM=SCRAM-SHA-512');
    expect(result.output).not.toContain(PASSWORD);
  });
});

// The same broker's TLS listener (KAFKA_SSL_PORT), with the certificates the launcher made at its start.
describe('Kafka over TLS', () => {
  it("runs a service through the TLS listener, trusting only the launcher's CA", async () => {
    expect(tls.brokers).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(fs.readFileSync(tls.caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
    // TLS alone: the SCRAM user belongs to the SASL listener.
    const { KAFKA_SASL_MECHANISM: _mechanism, KAFKA_SASL_USERNAME: _user, KAFKA_SASL_PASSWORD: _password, ...plainEnv } = baseEnv();
    const service = await startServiceProcess({
      entry: 'apps/connections/src/main.ts',
      port: await freePort(),
      env: { ...plainEnv, KAFKA_BROKERS: tls.brokers, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: tls.caFile },
    });
    extra.push(service);
    const ready = await fetch(`${service.url}/health/ready`).then((r) => r.json());
    expect(ready).toMatchObject({ status: 'ok', details: { kafka: { status: 'up' } } });
    // Without the CA the broker's certificate is not trusted: the listener really speaks TLS with that certificate.
    const untrusting = new Kafka({
      clientId: uniqueId('check-'),
      brokers: [tls.brokers],
      ssl: true,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 0 },
    }).admin();
    await expect(untrusting.connect()).rejects.toThrow(/certificate/i);
    const trusting = new Kafka({
      clientId: uniqueId('check-'),
      brokers: [tls.brokers],
      ssl: { ca: [fs.readFileSync(tls.caFile, 'utf8')] },
      logLevel: logLevel.NOTHING,
    }).admin();
    await trusting.connect();
    try {
      expect((await trusting.describeCluster()).brokers).toHaveLength(1);
    } finally {
      await trusting.disconnect();
    }
  });
});

describe('KAFKA_CREATE_TOPICS=false', () => {
  it('refuses to start while topics are missing, and names every one of them', async () => {
    const prefix = `${uniqueId('absent-')}.`;
    const result = await runToEnd('payments', { ...baseEnv(), ...saslEnv(), KAFKA_TOPIC_PREFIX: prefix, KAFKA_CREATE_TOPICS: 'false', PORT: String(await freePort()) });
    expect(result.code).toBe(1);
    const message = fatalLine(result.output)?.msg ?? '';
    expect(message).toMatch(/^KAFKA_CREATE_TOPICS is false and \d+ topic\(s\) this service needs do not exist: /);
    for (const topic of ['xero.connection.connected', 'xero.connection.connected.dlq', 'xero.webhook.received']) expect(message).toContain(`${prefix}${topic}`);
    // Nothing was created behind its back.
    const admin = new Kafka({ clientId: uniqueId('check-'), brokers: [process.env.KAFKA_BROKERS as string], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics.filter((topic) => topic.startsWith(prefix))).toEqual([]);
  });

  it('starts when its topics exist already', async () => {
    const service = await startServiceProcess({
      entry: 'apps/payments/src/main.ts',
      port: await freePort(),
      env: { ...baseEnv(), ...saslEnv(), KAFKA_CREATE_TOPICS: 'false' },
    });
    extra.push(service);
    expect(service.output()).not.toContain('created topics');
  });
});

/** The environment the platform's services run with (database, prefix, secrets), read from a running one. */
function baseEnv(): NodeJS.ProcessEnv {
  return platform.env;
}
