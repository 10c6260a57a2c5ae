import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../src';

jest.setTimeout(300_000);

/** The benchmark is not part of the suite, but its smoke run is, so it cannot rot: every scenario runs at tiny sizes. */
describe('npm run bench -- --smoke', () => {
  it('runs every scenario and prints each figure, with no 429 from Xero', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', path.join(REPO_ROOT, 'tools/bench/bench.ts'), '--smoke'], {
      cwd: REPO_ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json') },
      maxBuffer: 16 * 1024 * 1024,
    });
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { sizes: string; machine: { cpus: number }; figures: Record<string, number> };
    expect(summary.sizes).toBe('smoke');
    expect(summary.machine.cpus).toBeGreaterThan(0);
    const names = Object.keys(summary.figures);
    for (const expected of [
      'raw kafkajs produce→consume',
      '20 invoices for one company: createInvoices calls',
      '20 invoices for one company: 429 answers',
      'latency at low load, p99 (Xero time taken out)',
      '50 invoices, limits raised: throughput',
      '50 invoices, limits raised: share of raw kafkajs',
      '200 invoice requests: documents peak RSS',
      '2000 contacts pulled: Xero calls',
      '2000 contacts pulled: peak RSS',
      '200 paid invoices reconciled by poll: Xero calls',
      '20 clients pushed: Xero calls per client',
    ])
      expect(names).toContain(expected);
    for (const [name, value] of Object.entries(summary.figures)) expect({ name, finite: Number.isFinite(value) }).toEqual({ name, finite: true });
    expect(summary.figures['20 invoices for one company: 429 answers']).toBe(0);
    // Every figure is also printed as its own line.
    for (const name of names) expect(stdout).toContain(`${name}: `);
  });
});
