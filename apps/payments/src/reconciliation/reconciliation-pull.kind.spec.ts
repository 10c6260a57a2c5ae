import { Failure, SyncProgressPayload, SyncProgressState } from '@ledgerline/contracts';
import { OperationStore } from '@ledgerline/xero-operations';
import { DataSource, EntityManager } from 'typeorm';
import { ManualSyncRun, progressOf, startRun } from '../manual-sync/domain/manual-sync-run';
import { SyncProgressAnnouncer } from '../manual-sync/sync-progress.announcer';
import { PullBody, PULL_KIND, pullTarget, ReconciliationPullKind, seenOnPage } from './reconciliation-pull.kind';
import { ReconciliationRecords } from './reconciliation.repository';
import { Reconciliation } from './reconciliation.service';
import { POLL_PAGE_SIZE, XeroReconciliationGateway } from './xero-reconciliation.gateway';

const INVOICE = '0f4f7c1e-2b7e-4a59-9a3c-6a0a4d1f9e01';
const OTHER = '0f4f7c1e-2b7e-4a59-9a3c-6a0a4d1f9e02';
const view = (invoiceId: string) => ({ invoiceId, status: 'AUTHORISED', total: 10, amountPaid: 0, amountCredited: 0, amountDue: 10, currencyCode: 'NZD', updatedAt: '2026-11-20T10:00:00.000Z', payments: [], credits: [] });
const payment = (paymentId: string, invoiceId: string) => ({ paymentId, invoiceId, status: 'DELETED', amount: 5, date: '2026-11-20' });

describe('a poll page', () => {
  it('is decided once per invoice, with the invoice and its own payments together', () => {
    expect(seenOnPage({ invoices: [view(INVOICE)], payments: [payment('p1', INVOICE), payment('p2', OTHER), payment('p3', INVOICE)] })).toEqual([
      { xeroInvoiceId: INVOICE, observation: { invoice: view(INVOICE), payments: [payment('p1', INVOICE), payment('p3', INVOICE)] } },
      { xeroInvoiceId: OTHER, observation: { payments: [payment('p2', OTHER)] } },
    ]);
  });
});

describe('a page of a manual sync', () => {
  const SYNC = '7d3f1d4e-5a2b-4c8e-9f10-2b3c4d5e6f70';
  const tx = {} as EntityManager;

  /** The kind with its collaborators capturing what it records and announces; each page "decides" `decided` records. */
  function build(decided: number) {
    const recorded: { target: string; body: PullBody }[] = [];
    const announced: SyncProgressPayload[] = [];
    const checkpoints: string[] = [];
    const kind = new ReconciliationPullKind(
      {} as DataSource,
      { advanceCheckpoint: async (_tx: EntityManager, _companyId: string, resource: string) => void checkpoints.push(resource) } as unknown as ReconciliationRecords,
      {} as XeroReconciliationGateway,
      { apply: async () => decided } as unknown as Reconciliation,
      {
        record: async (_tx: EntityManager, _kind: unknown, operation: { target: string; body: PullBody }) => (recorded.push(operation), 'op'),
      } as unknown as OperationStore,
      {
        announce: async (_tx: EntityManager, _companyId: string, run: ManualSyncRun, state: SyncProgressState, _origin: unknown, failure?: Failure) =>
          void announced.push(progressOf('payments', run, state, failure)),
      } as unknown as SyncProgressAnnouncer,
    );
    return { kind, recorded, announced, checkpoints };
  }

  const operation = (body: PullBody) => ({
    id: 'op-1',
    companyId: 'acme',
    kind: PULL_KIND,
    target: pullTarget(body.resource),
    body,
    correlationId: 'corr',
    causationId: 'request',
  });
  const result = (resource: 'Invoices' | 'Payments', page: number, count: number) => ({
    resource,
    since: '2026-11-20T00:00:00.000Z',
    page,
    count,
    invoices: [],
    payments: [],
  });

  it('carries the run to the next page of a full one, announcing the page', async () => {
    const { kind, recorded, announced, checkpoints } = build(3);
    await kind.succeeded(tx, operation({ resource: 'Invoices', page: 1, sync: startRun(SYNC, ['Payments']) }), result('Invoices', 1, POLL_PAGE_SIZE));
    expect(announced.map((a) => [a.state, a.pagesRead, a.recordsChanged])).toEqual([['running', 1, 3]]);
    expect(recorded).toEqual([
      {
        companyId: 'acme',
        target: 'poll:Invoices',
        body: expect.objectContaining({ resource: 'Invoices', page: 2, sync: { syncId: SYNC, pagesRead: 1, recordsChanged: 3, errors: 0, remaining: ['Payments'] } }),
        correlationId: 'corr',
        causationId: 'request',
      },
    ]);
    expect(checkpoints).toEqual([]);
  });

  it('after a resource’s last page moves its checkpoint and starts the next resource, then announces done after the last', async () => {
    const { kind, recorded, announced, checkpoints } = build(1);
    await kind.succeeded(
      tx,
      operation({ resource: 'Invoices', page: 2, sync: { syncId: SYNC, pagesRead: 1, recordsChanged: 3, errors: 0, remaining: ['Payments'] } }),
      result('Invoices', 2, 10),
    );
    expect(checkpoints).toEqual(['Invoices']);
    expect(recorded.map((r) => [r.target, r.body])).toEqual([
      ['poll:Payments', { resource: 'Payments', page: 1, sync: { syncId: SYNC, pagesRead: 2, recordsChanged: 4, errors: 0, remaining: [] } }],
    ]);

    await kind.succeeded(tx, operation(recorded[0].body), result('Payments', 1, 0));
    expect(announced.map((a) => [a.state, a.pagesRead, a.recordsChanged])).toEqual([
      ['running', 2, 4],
      ['running', 3, 5],
      ['done', 3, 5],
    ]);
    expect(checkpoints).toEqual(['Invoices', 'Payments']);
    expect(recorded).toHaveLength(1);
  });

  it('announces nothing for the timer’s runs, and fails the run with the engine’s failure', async () => {
    const { kind, announced } = build(2);
    await kind.succeeded(tx, operation({ resource: 'Invoices', page: 1 }), result('Invoices', 1, 5));
    expect(announced).toEqual([]);
    await kind.failed(tx, operation({ resource: 'Invoices', page: 1, sync: startRun(SYNC, []) }), { code: 'XERO_FORBIDDEN', messages: ['no scope'] });
    expect(announced).toEqual([
      { syncId: SYNC, scope: 'payments', state: 'failed', pagesRead: 0, recordsChanged: 0, errors: 1, failure: { code: 'XERO_FORBIDDEN', messages: ['no scope'] } },
    ]);
  });
});
