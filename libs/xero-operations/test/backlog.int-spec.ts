import { EventPublisher, MessagingOptions } from '@ledgerline/messaging';
import { createTestDatabase, migrateService, TestDatabase } from '@ledgerline/testing';
import { DataSource } from 'typeorm';
import { OperationStore } from '../src';

jest.setTimeout(120_000);

/**
 * A company with a long backlog (a large import, an organisation that was away): forming each batch must stay
 * cheap however many of its operations are ready, and still keep a record's operations one at a time.
 */
const BACKLOG = 30_000;
const company = 'backlog-co';
const kind = 'invoice.create';
let database: TestDatabase;
let dataSource: DataSource;
let store: OperationStore;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateService('documents', database.url);
  dataSource = new DataSource({ type: 'postgres', url: database.url });
  await dataSource.initialize();
  // Forming a batch reads and writes only the engine's tables; it publishes nothing.
  store = new OperationStore({ schema: 'documents' } as MessagingOptions, dataSource, {} as EventPublisher);
  // Straight after the inserts, as in a burst: the table's statistics have not caught up.
  await dataSource.query(
    `INSERT INTO "documents"."xero_operations" ("id", "company_id", "kind", "target", "body", "status", "ready_at", "correlation_id")
     SELECT gen_random_uuid(), $1, $2, 'document:' || i, '{}', 'pending', now() + i * interval '1 millisecond', 'backlog-' || i FROM generate_series(1, $3) AS i`,
    [company, kind, BACKLOG],
  );
  // A later change to the oldest record: it must wait while that record's first operation is on its way.
  await dataSource.query(
    `INSERT INTO "documents"."xero_operations" ("id", "company_id", "kind", "target", "body", "status", "ready_at", "correlation_id")
     VALUES (gen_random_uuid(), $1, $2, 'document:1', '{}', 'pending', now() + interval '1 hour', 'backlog-again')`,
    [company, kind],
  );
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe(`a company with ${BACKLOG.toLocaleString('en')} ready operations`, () => {
  it('forms its batches in milliseconds, oldest first, one operation per record at a time', async () => {
    const timings: number[] = [];
    const formed = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const batch = await store.formBatch(kind, company, 50, 60_000);
      timings.push(Date.now() - started);
      formed.push(batch);
    }
    process.stdout.write(`forming a batch of 50 behind ${BACKLOG} ready operations: ${timings.map((t) => `${t} ms`).join(', ')}\n`);
    expect(Math.max(...timings)).toBeLessThan(2_000);
    const correlations = formed.map((b) => b?.operations.map((o) => o.correlationId));
    expect(correlations[0]).toEqual(Array.from({ length: 50 }, (_, i) => `backlog-${i + 1}`));
    expect(correlations[1]).toEqual(Array.from({ length: 50 }, (_, i) => `backlog-${i + 51}`));
    expect(correlations.flat()).not.toContain('backlog-again');
  });
});
