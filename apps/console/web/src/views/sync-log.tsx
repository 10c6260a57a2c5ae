import { useState } from 'react';
import { api, query } from '../api';
import { Field, Json, Pager, Problem, Section, Status, Table, useLoad, when } from '../ui';

type Entry = Record<string, unknown> & { id: string };

const ENTITIES = ['invoice', 'quote', 'purchase_order', 'contact', 'payment', 'job', 'document'];
const OUTCOMES = ['succeeded', 'failed', 'retrying', 'waiting_connection', 'found_in_xero'];

const local = (value: string) => (value ? new Date(value).toISOString() : undefined);

export function SyncLogView() {
  const [filters, setFilters] = useState({ entity: '', status: '', from: '', to: '', q: '' });
  const [applied, setApplied] = useState(filters);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const list = useLoad(
    () => api<{ total: number; items: Entry[] }>('GET', `/v1/console/sync-log${query({ ...applied, from: local(applied.from), to: local(applied.to), page, pageSize: 25 })}`),
    [applied, page],
  );
  const info = useLoad(() => api<{ entities: Record<string, unknown>[] }>('GET', '/v1/console/sync-info'), []);
  if (open) return <SyncLogEntry id={open} onBack={() => setOpen(null)} />;
  return (
    <>
      <Section title="Sync info">
        <Problem error={info.error} />
        {info.data && (
          <Table
            caption="Sync info per entity"
            rows={info.data.entities}
            columns={[
              { title: 'Entity', cell: (e) => String(e['entity']) },
              { title: 'Last push', cell: (e) => when(e['lastPushAt']) },
              { title: 'Last pull', cell: (e) => when(e['lastPullAt']) },
              { title: 'Last failure', cell: (e) => when(e['lastFailureAt']) },
              { title: 'Pending', cell: (e) => String(e['pending']) },
            ]}
          />
        )}
      </Section>
      <Section title="Sync log" actions={<button onClick={list.reload}>Refresh</button>}>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setPage(1);
            setApplied(filters);
          }}
        >
          <Field label="Entity">
            <select value={filters.entity} onChange={(e) => setFilters({ ...filters, entity: e.target.value })}>
              <option value="">All</option>
              {ENTITIES.map((x) => (
                <option key={x}>{x}</option>
              ))}
            </select>
          </Field>
          <Field label="Status">
            <select value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value })}>
              <option value="">All</option>
              {OUTCOMES.map((x) => (
                <option key={x}>{x}</option>
              ))}
            </select>
          </Field>
          <Field label="From">
            <input type="datetime-local" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
          </Field>
          <Field label="To">
            <input type="datetime-local" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} />
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
              caption="Sync log"
              rows={list.data.items}
              onOpen={(row) => setOpen(row.id)}
              columns={[
                { title: 'When', cell: (e) => when(e['startedAt']) },
                { title: 'Kind', cell: (e) => String(e['kind']) },
                { title: 'Record', cell: (e) => String(e['target']) },
                { title: 'Outcome', cell: (e) => <Status value={e['outcome']} /> },
                { title: 'Xero status', cell: (e) => String(e['xeroStatus'] ?? '—') },
                { title: 'Failure', cell: (e) => failureText(e['failure']) },
              ]}
            />
            <Pager page={page} pageSize={25} total={list.data.total} onPage={setPage} />
          </>
        )}
      </Section>
    </>
  );
}

export const failureText = (failure: unknown): string => {
  const f = failure as { code?: string; messages?: string[] } | null;
  return f?.code ? `${f.code}${f.messages?.length ? `: ${f.messages.join(' ')}` : ''}` : '';
};

function SyncLogEntry({ id, onBack }: { id: string; onBack: () => void }) {
  const { data, error } = useLoad(() => api<Entry>('GET', `/v1/console/sync-log/${id}`), [id]);
  return (
    <Section title="Sync log entry" actions={<button onClick={onBack}>Back to the sync log</button>}>
      <Problem error={error} />
      {data && <Json value={data} label="Sync log entry" />}
    </Section>
  );
}
