import { ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './infrastructure';

export interface ServiceProcess {
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  process: ChildProcess;
}

export interface StartOptions {
  /** A TypeScript entry file, relative to the repo root, run with @swc-node/register. */
  entry: string;
  env: NodeJS.ProcessEnv;
  port: number;
  /** The path that answers 200 once the process is ready. */
  readyPath?: string;
  timeoutMs?: number;
  /** Options for Node itself (e.g. `--cpu-prof`); SERVICE_NODE_ARGS adds more to every service, space-separated. */
  nodeArgs?: string[];
}

/** Runs a service as its own Node process, as in production, and waits until it is ready. */
export async function startServiceProcess(options: StartOptions): Promise<ServiceProcess> {
  const nodeArgs = [...(options.nodeArgs ?? []), ...(process.env['SERVICE_NODE_ARGS']?.split(' ').filter(Boolean) ?? [])];
  const child = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', path.join(REPO_ROOT, options.entry)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env, PORT: String(options.port), HOST: '127.0.0.1', SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${options.port}`;
  const handle: ServiceProcess = {
    url,
    output: () => output,
    process: child,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  const readyUrl = `${url}${options.readyPath ?? '/health/ready'}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${options.entry} exited with ${child.exitCode ?? child.signalCode} before it was ready\n--- output ---\n${output.slice(-4000)}`);
    }
    const ready = await fetch(readyUrl).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return handle;
    if (Date.now() > deadline) {
      await handle.stop('SIGKILL');
      throw new Error(`${options.entry} did not answer ${readyUrl} within ${options.timeoutMs ?? 60_000} ms\n--- output ---\n${output.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Runs a service's migrations (`apps/<service>/src/migrate.ts`) on a database, as its migrate job does, without
 * blocking the test's event loop; throws with their output when they fail.
 */
export async function migrateService(service: string, databaseUrl: string): Promise<void> {
  const entry = path.join(REPO_ROOT, `apps/${service}/src/migrate.ts`);
  await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json') },
    encoding: 'utf8',
    timeout: 60_000,
  }).catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`${service} migrations failed: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  });
}
