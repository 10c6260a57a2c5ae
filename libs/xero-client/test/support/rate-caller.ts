/**
 * A separate Ledgerline process for the shared-budget test: once loaded it prints `ready`, reads
 * `{"startAt":…,"stopAt":…}` from its standard input, calls one organisation as fast as the library lets it
 * from startAt until stopAt, and prints what happened as one JSON line.
 */
import readline from 'node:readline';
import { createXeroClient } from '../../src/client/create-xero-client';
import { XeroClientException } from '../../src/errors/xero-client.exception';

async function main(): Promise<void> {
  const env = process.env;
  const companyId = required('COMPANY_ID');
  const workers = Number(env['WORKERS'] ?? '8');
  const retries: Record<string, number> = {};
  const { client, close } = createXeroClient({
    config: {
      apiBaseUrl: required('XERO_API_BASE_URL'),
      connectionsInternalUrl: required('CONNECTIONS_INTERNAL_URL'),
      internalApiToken: required('INTERNAL_API_TOKEN'),
      databaseUrl: required('DATABASE_URL'),
      budgetSchema: required('BUDGET_SCHEMA'),
      limits: JSON.parse(required('LIMITS_JSON')),
      requestTimeoutMs: 5_000,
      retry: { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 1_000 },
    },
    logger: {
      warn: (_message, context) => {
        const code = String(context?.['status'] ?? context?.['code'] ?? 'unknown');
        retries[code] = (retries[code] ?? 0) + 1;
      },
    },
  });
  const completions: number[] = [];
  const failures: Record<string, number> = {};
  // Loading takes long on a busy machine: the test sets the window once every process is ready.
  process.stdout.write('ready\n');
  const lines = readline.createInterface({ input: process.stdin });
  const [first] = await lines[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  lines.close();
  const { startAt, stopAt } = JSON.parse(first) as { startAt: number; stopAt: number };
  await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
  for (let i = 0; i < workers; i++) {
    void (async () => {
      for (;;) {
        try {
          await client.getOrganisation(companyId);
          completions.push(Date.now());
        } catch (error) {
          const code = error instanceof XeroClientException ? error.code : 'UNKNOWN';
          failures[code] = (failures[code] ?? 0) + 1;
        }
      }
    })();
  }
  // Report at the deadline without waiting for callers queued for the next window; their leases expire.
  await new Promise((r) => setTimeout(r, Math.max(0, stopAt - Date.now())));
  process.stdout.write(JSON.stringify({ completions, failures, retries }) + '\n', () => {
    void close().finally(() => process.exit(0));
  });
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
