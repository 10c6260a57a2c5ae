import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { freePort, REPO_ROOT } from '../src';

jest.setTimeout(240_000);

const launcher = path.join(REPO_ROOT, 'tools/kafka/kafka.cjs');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerline-launcher-'));
const cache = path.join(home, 'cache');
let port: number;
let env: NodeJS.ProcessEnv;

const run = (command: string, extra: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [launcher, command], { env: { ...env, ...extra }, encoding: 'utf8', timeout: 200_000 });

const runAsync = (command: string, extra: NodeJS.ProcessEnv = {}) =>
  new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [launcher, command], { env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (status) => resolve({ status, stderr }));
  });

beforeAll(async () => {
  port = await freePort();
  const controllerPort = await freePort();
  const { KAFKA_BROKERS: _ignored, ...rest } = process.env;
  // A cache and a Maven repository of its own: nothing from an earlier run can help it.
  env = { ...rest, LEDGERLINE_CACHE: cache, KAFKA_MAVEN_REPO: path.join(home, 'm2'), KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_HEAP: '256m' };
});

afterAll(() => {
  run('stop');
  fs.rmSync(home, { recursive: true, force: true });
});

describe('the Kafka launcher', () => {
  it('resolves the broker with Maven, formats storage and starts a broker from nothing', async () => {
    const started = run('start');
    // On failure the report shows the launcher's own words.
    expect(started.status === 0 ? 'started' : started.stderr).toBe('started');
    expect(started.stdout.trim()).toBe(`127.0.0.1:${port}`);
    expect(started.stderr).toMatch(/resolving Apache Kafka 3\.9\.\d+ with Maven/);
    expect(fs.readdirSync(path.join(cache, 'kafka')).some((entry) => entry.startsWith('3.9.'))).toBe(true);

    const kafka = new Kafka({ clientId: 'launcher-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: 'launcher-check', messages: [{ key: 'k', value: 'hello' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'launcher-check' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'launcher-check', fromBeginning: true });
    const received = await new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(message.value?.toString() ?? '') });
    });
    await consumer.disconnect();
    expect(received).toBe('hello');
  });

  it('reuses the broker that already runs on the port', () => {
    const again = run('start');
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('already answers');
    expect(again.stderr).not.toContain('resolving');
  });

  it('stops cleanly', () => {
    expect(run('stop').status).toBe(0);
    const status = run('status');
    expect(status.stdout.trim()).toBe('down');
    expect(status.status).toBe(1);
  });

  it('starts again on fresh storage when the node cannot come back on the data an earlier run left', () => {
    const meta = path.join(cache, 'kafka', `node-${port}`, 'data', 'meta.properties');
    fs.writeFileSync(meta, fs.readFileSync(meta, 'utf8').replace(/^node\.id=\d+$/m, 'node.id=7'));
    const started = run('start');
    expect(started.status === 0 ? 'started' : started.stderr).toBe('started');
    expect(started.stderr).toMatch(/the broker failed to start: .*; this was on the data an earlier run left in .*: starting again on fresh storage/);
    expect(fs.readFileSync(meta, 'utf8')).toMatch(/^node\.id=1$/m);
    expect(run('stop').status).toBe(0);
  });

  it('launches nothing where KAFKA_BROKERS is set', () => {
    const result = run('start', { KAFKA_BROKERS: 'kafka.example:9092', KAFKA_PORT: String(port + 7) });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('kafka.example:9092');
    expect(fs.existsSync(path.join(cache, 'kafka', `node-${port + 7}`))).toBe(false);
  });

  it('says why when the broker cannot start, here because its controller port is taken', async () => {
    const [brokerPort, controllerPort] = [await freePort(), await freePort()];
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(controllerPort, '127.0.0.1', resolve));
    try {
      // spawnSync would block this process's event loop, and with it the squatter: run the launcher asynchronously.
      const result = await runAsync('start', { KAFKA_PORT: String(brokerPort), KAFKA_CONTROLLER_PORT: String(controllerPort) });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/the broker failed to start: .*Address already in use/);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('names a bad setting', () => {
    const result = run('start', { KAFKA_PORT: 'ninety' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('KAFKA_PORT must be a port number between 1 and 65535, got "ninety"');
  });
});
