import { useEffect, useState } from 'react';
import { api, followSync, ProgressEvent } from '../api';
import { describe, Field, Problem, Section, Status, Table, useLoad, when } from '../ui';

interface Sync {
  syncId: string;
  scope: string;
  state: string;
  requestedAt: string;
  pagesRead: number;
  recordsChanged: number;
  errors: number;
}

export function SyncsView() {
  const [scope, setScope] = useState('contacts');
  const [problem, setProblem] = useState<string | null>(null);
  const [watching, setWatching] = useState<string[]>([]);
  const list = useLoad(() => api<{ items: Sync[] }>('GET', '/v1/console/syncs'), []);
  const start = () => {
    setProblem(null);
    api<{ syncs: Sync[] }>('POST', '/v1/console/syncs', { scope }).then(
      ({ syncs }) => (setWatching(syncs.map((s) => s.syncId)), list.reload()),
      (reason: unknown) => setProblem(describe(reason)),
    );
  };
  return (
    <>
      <Section title="Start a sync">
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            start();
          }}
        >
          <Field label="What to read from Xero">
            <select value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value="contacts">Contacts</option>
              <option value="payments">Payments</option>
              <option value="quotes">Quotes</option>
              <option value="all">All</option>
            </select>
          </Field>
          <button type="submit" className="primary">
            Start sync
          </button>
        </form>
        <Problem error={problem} />
        {watching.map((syncId) => (
          <LiveProgress key={syncId} syncId={syncId} onEnd={() => (setProblem(null), list.reload())} />
        ))}
      </Section>
      <Section title="Recent syncs" actions={<button onClick={list.reload}>Refresh</button>}>
        <Problem error={list.error} />
        {list.data && (
          <Table
            caption="Recent syncs"
            rows={list.data.items}
            onOpen={(s) => setWatching([s.syncId])}
            columns={[
              { title: 'Requested', cell: (s) => when(s.requestedAt) },
              { title: 'Scope', cell: (s) => s.scope },
              { title: 'State', cell: (s) => <Status value={s.state} /> },
              { title: 'Pages', cell: (s) => s.pagesRead },
              { title: 'Changed', cell: (s) => s.recordsChanged },
              { title: 'Errors', cell: (s) => s.errors },
            ]}
          />
        )}
      </Section>
    </>
  );
}

function LiveProgress({ syncId, onEnd }: { syncId: string; onEnd: () => void }) {
  const [event, setEvent] = useState<ProgressEvent | null>(null);
  const [ended, setEnded] = useState(false);
  useEffect(() => followSync(syncId, setEvent, () => (setEnded(true), onEnd())), [syncId]);
  return (
    <div className="progress" role="status" aria-live="polite" data-testid="sync-progress" data-state={event?.state ?? 'connecting'}>
      <strong>{event?.scope ?? 'sync'}</strong> <Status value={event?.state ?? 'connecting'} /> — {event?.pagesRead ?? 0} page(s) read, {event?.recordsChanged ?? 0} record(s) changed,{' '}
      {event?.errors ?? 0} error(s){ended ? '. Finished.' : '…'}
      {event?.failure && <p className="problem-text">{event.failure.messages.join(' ')}</p>}
    </div>
  );
}
