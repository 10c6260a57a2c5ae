import { useState } from 'react';
import { api, query } from '../api';
import { describe, Field, Json, Pager, Problem, Section, Status, Table, useLoad, when } from '../ui';

interface LineItem {
  description: string;
  quantity: string;
  unitAmount: string;
  accountCode?: string;
  taxType?: string;
  [key: string]: unknown;
}
interface DocumentRow {
  id: string;
  type: string;
  requestId: string;
  clientId: string;
  status: string;
  xero: { id: string | null; number: string | null; status: string | null };
  totals: { total: string } | null;
  lastError: { code: string; messages: string[]; at: string | null } | null;
  updatedAt: string;
}
interface DocumentDetail extends DocumentRow {
  request: { lineItems?: LineItem[] } & Record<string, unknown>;
}

const DOCUMENTS = '/api/documents/v1/documents';
const TYPES = ['invoice', 'quote', 'purchase_order'];
const STATUSES = ['waiting_contact', 'waiting_connection', 'pending', 'created', 'failed', 'cancelled'];

export function DocumentsView({ openId, onOpen }: { openId: string | null; onOpen: (id: string | null) => void }) {
  const [type, setType] = useState('');
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const list = useLoad(() => api<{ total: number; items: DocumentRow[] }>('GET', `${DOCUMENTS}${query({ type, status, page, pageSize: 25 })}`), [type, status, page]);
  if (openId) return <DocumentDetailView id={openId} onBack={() => (onOpen(null), list.reload())} />;
  return (
    <Section title="Documents" actions={<button onClick={list.reload}>Refresh</button>}>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Kind">
          <select value={type} onChange={(e) => (setType(e.target.value), setPage(1))}>
            <option value="">All</option>
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </Field>
        <Field label="Status">
          <select value={status} onChange={(e) => (setStatus(e.target.value), setPage(1))}>
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </Field>
      </form>
      <Problem error={list.error} />
      {list.data && (
        <>
          <Table
            caption="Documents"
            rows={list.data.items}
            onOpen={(row) => onOpen(row.id)}
            columns={[
              { title: 'Kind', cell: (d) => d.type },
              { title: 'Request', cell: (d) => d.requestId },
              { title: 'Client', cell: (d) => d.clientId },
              { title: 'Status', cell: (d) => <Status value={d.status} /> },
              { title: 'Xero', cell: (d) => d.xero.number ?? '—' },
              { title: 'Total', cell: (d) => d.totals?.total ?? '—' },
              { title: 'Last error', cell: (d) => (d.lastError ? `${d.lastError.code}: ${d.lastError.messages.join(' ')}` : '') },
              { title: 'Updated', cell: (d) => when(d.updatedAt) },
            ]}
          />
          <Pager page={page} pageSize={25} total={list.data.total} onPage={setPage} />
        </>
      )}
    </Section>
  );
}

function DocumentDetailView({ id, onBack }: { id: string; onBack: () => void }) {
  const { data, error, reload } = useLoad(() => api<DocumentDetail>('GET', `${DOCUMENTS}/${id}`), [id]);
  const [lines, setLines] = useState<LineItem[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [retried, setRetried] = useState(false);
  const shown = lines ?? data?.request.lineItems ?? [];
  const edit = (i: number, field: keyof LineItem, value: string) => setLines(shown.map((line, j) => (j === i ? { ...line, [field]: value } : line)));
  const retry = () => {
    setProblem(null);
    api('POST', `${DOCUMENTS}/${id}/retry`, lines ? { lineItems: lines } : {}).then(
      () => (setRetried(true), setLines(null), reload()),
      (reason: unknown) => setProblem(describe(reason)),
    );
  };
  return (
    <Section
      title="Document"
      actions={
        <span>
          <button onClick={reload}>Refresh</button> <button onClick={onBack}>Back to documents</button>
        </span>
      }
    >
      <Problem error={error ?? problem} />
      {data && (
        <>
          <dl className="facts">
            <dt>Kind</dt>
            <dd>{data.type}</dd>
            <dt>Request</dt>
            <dd>{data.requestId}</dd>
            <dt>Status</dt>
            <dd data-testid="document-status">
              <Status value={data.status} />
            </dd>
            <dt>In Xero</dt>
            <dd>
              {data.xero.number ?? '—'} {data.xero.status ?? ''}
            </dd>
            {data.lastError && (
              <>
                <dt>Last error</dt>
                <dd className="problem-text">
                  {data.lastError.code}: {data.lastError.messages.join(' ')}
                </dd>
              </>
            )}
          </dl>
          {retried && <p role="status">Sent again.</p>}
          {data.status === 'failed' && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                retry();
              }}
            >
              <h3>Lines (correct them, then retry)</h3>
              {shown.map((line, i) => (
                <fieldset key={i} className="line">
                  <legend>Line {i + 1}</legend>
                  {(['description', 'quantity', 'unitAmount', 'accountCode', 'taxType'] as const).map((field) => (
                    <Field key={field} label={field}>
                      <input name={`line-${i}-${field}`} value={String(line[field] ?? '')} onChange={(e) => edit(i, field, e.target.value)} />
                    </Field>
                  ))}
                </fieldset>
              ))}
              <button type="submit" className="primary">
                Retry
              </button>
            </form>
          )}
          <h3>The request as received</h3>
          <Json value={data.request} label="Request" />
        </>
      )}
    </Section>
  );
}

/** The failed document of a request, for an error's retry link. */
export async function findDocument(documentType: string, requestId: string): Promise<string | null> {
  for (let page = 1; page <= 20; page++) {
    const { items, total } = await api<{ total: number; items: DocumentRow[] }>('GET', `${DOCUMENTS}${query({ type: documentType, status: 'failed', page, pageSize: 200 })}`);
    const found = items.find((d) => d.requestId === requestId);
    if (found) return found.id;
    if (page * 200 >= total) return null;
  }
  return null;
}
