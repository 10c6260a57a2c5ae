import { EVENT_CATALOG, FAILURE_CATALOG, FAILURE_CODES, FailureDetail, payloadViolations, Topic } from '@ledgerline/contracts';
import { REPO_ROOT } from '@ledgerline/testing';
// class-transformer keeps its @Type metadata here; its package exports the typings under types/.
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import fs from 'node:fs';
import path from 'node:path';

/** Every payload class of the catalogue that carries a `failure`, found from its class-transformer metadata. */
function topicsWithFailure(): Topic[] {
  return (Object.keys(EVENT_CATALOG) as Topic[]).filter((topic) => {
    const type = defaultMetadataStorage.findTypeMetadata(EVENT_CATALOG[topic].payload, 'failure');
    return type !== undefined && type.typeFunction() === FailureDetail;
  });
}

/** Source files of the services and libraries (their tests left out). */
function producerSources(): { file: string; text: string }[] {
  const files: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'test') walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        files.push({ file: path.relative(REPO_ROOT, full), text: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  for (const root of ['apps', 'libs']) walk(path.join(REPO_ROOT, root));
  return files;
}

describe('the failure catalogue', () => {
  it('says of every code whether a retry can help, and describes it', () => {
    expect(FAILURE_CODES.length).toBeGreaterThan(5);
    for (const code of FAILURE_CODES) {
      expect(typeof FAILURE_CATALOG[code].retriable).toBe('boolean');
      expect(FAILURE_CATALOG[code].description.length).toBeGreaterThan(10);
    }
  });

  it('is the only set of codes an outcome event may carry', () => {
    const topics = topicsWithFailure();
    // invoice, quote, purchase order and contact failures, cancellations and job syncs all carry one.
    expect(topics).toEqual(expect.arrayContaining(['invoice.failed', 'contact.sync_failed', 'quote.failed', 'purchase_order.failed', 'job.sync_failed']));
    for (const topic of topics) {
      const refused = payloadViolations(topic, { failure: { code: 'FORBIDDEN', messages: [] } } as never);
      expect(refused.some((v) => v.startsWith("failure.code: code must be one of the failure catalogue's codes"))).toBe(true);
      const accepted = payloadViolations(topic, { failure: { code: 'XERO_VALIDATION', messages: ['m'] } } as never);
      expect(accepted.filter((v) => v.startsWith('failure.'))).toEqual([]);
    }
  });

  it('is the only source of the failure codes the services write', () => {
    const written = new Map<string, string>();
    for (const { file, text } of producerSources()) {
      for (const match of text.matchAll(/code: '([A-Z_]+)'(?: as const)?, messages/g)) written.set(match[1], file);
    }
    expect(written.size).toBeGreaterThan(5);
    const unknown = [...written].filter(([code]) => !(FAILURE_CODES as string[]).includes(code));
    expect(unknown).toEqual([]);
  });
});
