import { REPO_ROOT } from '@ledgerline/testing';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

jest.setTimeout(60_000);

/**
 * What the workspace's lint says of a file with this content at this path (the file need not exist). ESLint
 * runs as its own process: it loads the flat config with a dynamic import, which Jest's module system refuses.
 */
async function lint(filePath: string, code: string): Promise<string[]> {
  const eslint = path.join(REPO_ROOT, 'node_modules/eslint/bin/eslint.js');
  const run = spawnSync(process.execPath, [eslint, '--stdin', '--stdin-filename', filePath, '--format', 'json'], { cwd: REPO_ROOT, input: code, encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint failed: ${run.stderr}`);
  // Without a cached project graph (no nx command has run yet), @nx/enforce-module-boundaries prints a warning first.
  const [result] = JSON.parse(run.stdout.slice(run.stdout.indexOf('[{'))) as { messages: { ruleId: string; message: string }[] }[];
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('domain rules stay pure', () => {
  it.each([
    ['apps/documents/src/invoices/domain/probe.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n"],
    ['apps/contacts/src/contact-sync/domain/probe.ts', "import { DataSource } from 'typeorm';\nexport type X = DataSource;\n"],
    ['apps/payments/src/reconciliation/domain/probe.ts', "import { Kafka } from 'kafkajs';\nexport type X = Kafka;\n"],
    ['libs/xero-operations/src/domain/probe.ts', "import { Invoice } from 'xero-node';\nexport type X = Invoice;\n"],
  ])('refuses a framework, database, Kafka or Xero SDK import in %s', async (filePath, code) => {
    const messages = await lint(filePath, code);
    expect(messages).toEqual([expect.stringMatching(/^no-restricted-imports: .*Domain rules are pure/)]);
  });

  it('lets the same import through outside a domain folder, and lets domain code use the contracts', async () => {
    expect(await lint('apps/documents/src/invoices/probe.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n")).toEqual([]);
    expect(await lint('apps/documents/src/invoices/domain/probe.ts', "import type { Failure } from '@ledgerline/contracts';\nexport type X = Failure;\n")).toEqual([]);
  });
});
