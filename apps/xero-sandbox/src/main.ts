import 'reflect-metadata';
import { ConfigError } from './config/sandbox-config';
import { createSandbox } from './sandbox';
import { StateFileException } from './state/state-file.exception';

async function main(): Promise<void> {
  try {
    const sandbox = await createSandbox();
    process.stdout.write(`${JSON.stringify({ level: 30, msg: 'xero-sandbox listening', url: sandbox.url })}\n`);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StateFileException) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`xero-sandbox failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
