import { useState } from 'react';
import { api, query } from '../api';
import { describe, Field, Json, Pager, Problem, Section, Table, useLoad, when } from '../ui';
import { findDocument } from './documents';

type ErrorEntry = Record<string, unknown> & { id: string; retry: { service: string; documentType: string; requestId: string } | null };

export function ErrorsView({ onOpenDocument }: { onOpenDocument: (id: string) => void }) {
  const [filters, setFilters] = useState({ source: '', entity: '', q: '' });
  const [applied, setApplied] = useState(filters);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const list = useLoad(() => api<{ total: number; items: ErrorEntry[] }>('GET', `/v1/console/errors${query({ ...applied, page, pageSize: 25 })}`), [applied, page]);
  if (open) return <ErrorDetail id={open} onBack={() => setOpen(null)} onOpenDocument={onOpenDocument} />;
  return (
    <Section title="Errors" actions={<button onClick={list.reload}>Refresh</button>}>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setPage(1);
          setApplied(filters);
        }}
      >
        <Field label="Source">
          <select value={filters.source} onChange={(e) => setFilters({ ...filters, source: e.target.value })}>
            <option value="">All</option>
            <option value="outcome">Failed outcomes</option>
            <option value="dead_letter">Dead letters</option>
          </select>
        </Field>
        <Field label="Entity">
          <input value={filters.entity} onChange={(e) => setFilters({ ...filters, entity: e.target.value })} />
        </Field>
        <Field label="Text">
          <input type="search" value={filters.q} onChange={(e) => setFilters({ ...filters, q: e.target.value })} />
        </Field>
        <button type="submit">Filter</button>
      </form>
      <Problem error={list.error} />
      {list.data && (
        <>
          <Table
            caption="Errors"
            rows={list.data.items}
            onOpen={(row) => setOpen(row.id)}
            columns={[
              { title: 'When', cell: (e) => when(e['occurredAt']) },
              { title: 'Source', cell: (e) => (e['source'] === 'dead_letter' ? 'dead letter' : 'failed outcome') },
              { title: 'Topic', cell: (e) => String(e['topic']) },
              { title: 'Given up by', cell: (e) => String(e['consumer'] ?? '—') },
              { title: 'Record', cell: (e) => String(e['reference'] ?? '—') },
              { title: 'Why', cell: (e) => (e['source'] === 'dead_letter' ? String(e['reason']) : `${String(e['code'])}: ${(e['messages'] as string[]).join(' ')}`) },
            ]}
          />
          <Pager page={page} pageSize={25} total={list.data.total} onPage={setPage} />
        </>
      )}
    </Section>
  );
}

function ErrorDetail({ id, onBack, onOpenDocument }: { id: string; onBack: () => void; onOpenDocument: (id: string) => void }) {
  const { data, error } = useLoad(() => api<ErrorEntry>('GET', `/v1/console/errors/${id}`), [id]);
  const [problem, setProblem] = useState<string | null>(null);
  const openDocument = () => {
    if (!data?.retry) return;
    findDocument(data.retry.documentType, data.retry.requestId).then(
      (documentId) => (documentId ? onOpenDocument(documentId) : setProblem('The document is no longer failed (it may have been retried already).')),
      (reason: unknown) => setProblem(describe(reason)),
    );
  };
  return (
    <Section title="Error" actions={<button onClick={onBack}>Back to errors</button>}>
      <Problem error={error ?? problem} />
      {data && (
        <>
          <dl className="facts">
            <dt>Topic</dt>
            <dd>{String(data['topic'])}</dd>
            <dt>Record</dt>
            <dd>{String(data['reference'] ?? '—')}</dd>
            {data['code'] ? (
              <>
                <dt>Code</dt>
                <dd>{String(data['code'])}</dd>
              </>
            ) : null}
            <dt>Messages</dt>
            <dd>{(data['messages'] as string[]).join(' ') || '—'}</dd>
            {data['reason'] ? (
              <>
                <dt>Reason</dt>
                <dd>{String(data['reason'])}</dd>
              </>
            ) : null}
          </dl>
          {data.retry && (
            <button className="primary" onClick={openDocument}>
              Open the document to fix and retry
            </button>
          )}
          <h3>The original event</h3>
          <Json value={data['originalEvent'] ?? data['original']} label="Original event" />
        </>
      )}
    </Section>
  );
}
