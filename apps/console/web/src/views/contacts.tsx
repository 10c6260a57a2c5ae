import { useEffect, useRef, useState } from 'react';
import { api, query } from '../api';
import { describe, Field, Pager, Problem, Section, Status, Table, useLoad, when } from '../ui';

interface Mapping {
  clientId: string | null;
  xeroContactId: string;
  contactName: string;
  linkedBy: string | null;
  linkedAt: string | null;
  lastWrittenAt: string | null;
  status: string;
  conflicted: boolean;
}
interface Settings {
  conflictPolicy: string;
  announceUnlinkedContacts: boolean;
}
type Side = 'ledgerline' | 'xero';
interface FieldConflict {
  field: string;
  base?: unknown;
  ledgerline?: unknown;
  xero?: unknown;
  winner?: Side;
}
interface Conflict {
  id: string;
  clientId: string;
  xeroContactId: string;
  policy: string;
  status: string;
  fields: FieldConflict[];
  resolution?: Record<string, string> | null;
  detectedAt: string;
  resolvedAt: string | null;
}

const CONTACTS = '/api/contacts/v1/contacts';
const FILTERS = ['linked', 'unlinked', 'conflicted', 'archived'];
const POLICIES = [
  ['ledgerline_wins', 'Ledgerline wins'],
  ['xero_wins', 'Xero wins'],
  ['most_recent', 'Most recent change wins'],
  ['manual', 'A person decides (manual)'],
] as const;

const shown = (value: unknown): string => (value === undefined || value === null || value === '' ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

export function ContactsView() {
  // A resolved conflict changes the mappings' "waiting" too.
  const [resolved, setResolved] = useState(0);
  return (
    <>
      <SettingsSection />
      <MappingsSection resolved={resolved} />
      <ConflictsSection onResolved={() => setResolved((n) => n + 1)} />
    </>
  );
}

function SettingsSection() {
  const { data, error } = useLoad(() => api<Settings>('GET', `${CONTACTS}/settings`), []);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setDraft(data), [data]);
  const save = () => {
    if (!draft) return;
    setProblem(null);
    setSaved(false);
    api<Settings>('PUT', `${CONTACTS}/settings`, draft).then(
      (answer) => (setDraft(answer), setSaved(true)),
      (reason: unknown) => setProblem(describe(reason)),
    );
  };
  return (
    <Section title="Contact sync settings">
      <Problem error={error ?? problem} />
      {draft && (
        <form
          className="filters"
          aria-label="Contact sync settings"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <Field label="When a field changed on both sides">
            <select name="conflictPolicy" value={draft.conflictPolicy} onChange={(e) => (setSaved(false), setDraft({ ...draft, conflictPolicy: e.target.value }))}>
              {POLICIES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
          <label className="field check">
            <span>Announce Xero contacts no client is linked to</span>
            <input
              type="checkbox"
              name="announceUnlinkedContacts"
              checked={draft.announceUnlinkedContacts}
              onChange={(e) => (setSaved(false), setDraft({ ...draft, announceUnlinkedContacts: e.target.checked }))}
            />
          </label>
          <button type="submit" className="primary">
            Save settings
          </button>
          {saved && <p role="status">Settings saved.</p>}
        </form>
      )}
    </Section>
  );
}

function MappingsSection({ resolved }: { resolved: number }) {
  const [filter, setFilter] = useState('linked');
  const [page, setPage] = useState(1);
  const { data, error, reload } = useLoad(
    () => api<{ total: number; items: Mapping[] }>('GET', `${CONTACTS}/mappings${query({ filter, page, pageSize: 25 })}`),
    [filter, page, resolved],
  );
  return (
    <Section title="Contact mappings" actions={<button onClick={reload}>Refresh</button>}>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Show">
          <select name="mappingFilter" value={filter} onChange={(e) => (setFilter(e.target.value), setPage(1))}>
            {FILTERS.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </Field>
      </form>
      <Problem error={error} />
      {data && (
        <>
          <Table
            caption="Contact mappings"
            rows={data.items}
            columns={[
              { title: 'Client', cell: (m) => m.clientId ?? '—' },
              { title: 'Xero contact', cell: (m) => m.contactName },
              { title: 'Contact id', cell: (m) => m.xeroContactId },
              { title: 'Status', cell: (m) => <Status value={m.status} /> },
              { title: 'Conflict', cell: (m) => (m.conflicted ? 'waiting' : '') },
              { title: 'Linked by', cell: (m) => m.linkedBy ?? '—' },
              { title: 'Linked', cell: (m) => when(m.linkedAt) },
              { title: 'Last written', cell: (m) => when(m.lastWrittenAt) },
            ]}
          />
          <Pager page={page} pageSize={25} total={data.total} onPage={setPage} />
        </>
      )}
    </Section>
  );
}

function ConflictsSection({ onResolved }: { onResolved: () => void }) {
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const { data, error, reload } = useLoad(() => api<{ total: number; items: Conflict[] }>('GET', `${CONTACTS}/conflicts${query({ page, pageSize: 25 })}`), [page]);
  const chosen = data?.items.find((c) => c.id === open && c.status === 'open' && c.policy === 'manual');
  return (
    <Section title="Contact conflicts" actions={<button onClick={reload}>Refresh</button>}>
      <Problem error={error} />
      {data && (
        <>
          <Table
            caption="Contact conflicts"
            rows={data.items}
            empty="No field has been changed on both sides."
            columns={[
              { title: 'Client', cell: (c) => c.clientId },
              { title: 'Contact id', cell: (c) => c.xeroContactId },
              { title: 'Policy', cell: (c) => c.policy.replace(/_/g, ' ') },
              { title: 'Status', cell: (c) => <Status value={c.status} /> },
              { title: 'Fields', cell: (c) => c.fields.map((f) => `${f.field}${f.winner ? ` → ${f.winner}` : ''}`).join(', ') },
              { title: 'Detected', cell: (c) => when(c.detectedAt) },
              { title: 'Resolved', cell: (c) => when(c.resolvedAt) },
              {
                title: 'Action',
                cell: (c) =>
                  c.status === 'open' && c.policy === 'manual' ? (
                    <button type="button" className="link" onClick={() => setOpen(c.id)} aria-label={`Resolve the conflict on ${c.clientId}`}>
                      Resolve
                    </button>
                  ) : null,
              },
            ]}
          />
          <Pager page={page} pageSize={25} total={data.total} onPage={setPage} />
        </>
      )}
      {chosen && <ResolveForm key={chosen.id} conflict={chosen} onDone={() => (setOpen(null), reload(), onResolved())} onCancel={() => setOpen(null)} />}
    </Section>
  );
}

function ResolveForm({ conflict, onDone, onCancel }: { conflict: Conflict; onDone: () => void; onCancel: () => void }) {
  const [sides, setSides] = useState<Record<string, Side>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const missing = conflict.fields.filter((f) => !sides[f.field]).map((f) => f.field);
  return (
    <form
      aria-label={`Resolve the conflict on ${conflict.clientId}`}
      onSubmit={(e) => {
        e.preventDefault();
        setProblem(null);
        api('POST', `${CONTACTS}/conflicts/${conflict.id}/resolve`, { fields: sides }).then(onDone, (reason: unknown) => setProblem(describe(reason)));
      }}
    >
      <h3 tabIndex={-1} ref={heading}>
        Resolve the conflict on {conflict.clientId}
      </h3>
      {conflict.fields.map((f) => (
        <fieldset key={f.field} className="line">
          <legend>{f.field}</legend>
          <p>Both sides last agreed on: {shown(f.base)}</p>
          {(['ledgerline', 'xero'] as const).map((side) => (
            <label key={side} className="choice">
              <input type="radio" name={`side-${f.field}`} value={side} checked={sides[f.field] === side} onChange={() => setSides({ ...sides, [f.field]: side })} />{' '}
              Keep {side === 'ledgerline' ? 'Ledgerline' : 'Xero'}’s value: {shown(f[side])}
            </label>
          ))}
        </fieldset>
      ))}
      <div className="actions">
        <button type="submit" className="primary" disabled={missing.length > 0}>
          Apply
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <Problem error={problem} />
    </form>
  );
}
