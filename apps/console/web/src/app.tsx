import { useEffect, useRef, useState } from 'react';
import { api, ApiError, session } from './api';
import { describe, Field, Problem } from './ui';
import { completeConnect, ConnectionView } from './views/connection';
import { ContactsView } from './views/contacts';
import { DocumentsView } from './views/documents';
import { ErrorsView } from './views/errors';
import { JobMappingsView } from './views/job-mappings';
import { OverviewView } from './views/overview';
import { SyncLogView } from './views/sync-log';
import { SyncsView } from './views/syncs';

interface Me {
  userId: string;
  companyId: string;
  role: string;
}

const VIEWS = [
  ['overview', 'Overview'],
  ['connection', 'Xero connection'],
  ['contacts', 'Contacts'],
  ['documents', 'Documents'],
  ['job-mappings', 'Job mappings'],
  ['sync-log', 'Sync log'],
  ['errors', 'Errors'],
  ['syncs', 'Syncs'],
] as const;
type ViewName = (typeof VIEWS)[number][0];

/** `#/documents/<id>` → the view and what it has open. */
function route(): { view: ViewName; open: string | null } {
  const [, view, open] = window.location.hash.split('/');
  const known = VIEWS.find(([name]) => name === view);
  return { view: known ? known[0] : 'overview', open: open ? decodeURIComponent(open) : null };
}

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const [where, setWhere] = useState(route);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const onHash = () => setWhere(route());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const signedIn = async () => {
    try {
      setMe(await api<Me>('GET', '/v1/console/me'));
    } catch (reason) {
      if (reason instanceof ApiError && reason.status === 401) setMe(null);
      else setProblem(describe(reason));
      if (reason instanceof ApiError && reason.status === 403) setMe(null);
    }
  };

  useEffect(() => {
    const connectBack = window.location.pathname === '/connect/callback' ? window.location.search : null;
    void (async () => {
      if (connectBack !== null) {
        window.history.replaceState(null, '', '/#/connection');
        setWhere(route());
        try {
          await completeConnect(connectBack);
        } catch (reason) {
          setProblem(`Connecting to Xero did not finish: ${describe(reason)}`);
        }
      }
      await signedIn();
    })();
  }, []);

  useEffect(() => heading.current?.focus(), [where.view]);
  // A problem belongs to the view it happened in.
  useEffect(() => setProblem(null), [where.view, where.open]);

  if (me === undefined) return <p className="loading">Loading…</p>;
  if (me === null) return <SignIn onSignedIn={signedIn} problem={problem} />;

  const go = (view: ViewName, open?: string) => {
    window.location.hash = `/${view}${open ? `/${encodeURIComponent(open)}` : ''}`;
  };
  return (
    <div className="layout">
      <header className="top">
        <h1>Ledgerline console</h1>
        <p className="who" data-testid="signed-in">
          {me.companyId} · {me.role.replace(/_/g, ' ')}
        </p>
        <button
          type="button"
          onClick={() => {
            session.clear();
            setMe(null);
          }}
        >
          Sign out
        </button>
      </header>
      <nav className="side" aria-label="Views">
        <ul>
          {VIEWS.map(([name, label]) => (
            <li key={name}>
              <a href={`#/${name}`} aria-current={where.view === name ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main>
        <h2 className="visually-hidden" tabIndex={-1} ref={heading}>
          {VIEWS.find(([name]) => name === where.view)?.[1]}
        </h2>
        <Problem error={problem} />
        {where.view === 'overview' && <OverviewView />}
        {where.view === 'connection' && <ConnectionView />}
        {where.view === 'contacts' && <ContactsView />}
        {where.view === 'documents' && <DocumentsView openId={where.open} onOpen={(id) => go('documents', id ?? undefined)} />}
        {where.view === 'job-mappings' && <JobMappingsView />}
        {where.view === 'sync-log' && <SyncLogView />}
        {where.view === 'errors' && <ErrorsView onOpenDocument={(id) => go('documents', id)} />}
        {where.view === 'syncs' && <SyncsView />}
      </main>
    </div>
  );
}

function SignIn({ onSignedIn, problem }: { onSignedIn: () => Promise<void>; problem: string | null }) {
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [companyId, setCompanyId] = useState('demo-co');
  const [role, setRole] = useState('practice_admin');
  const [error, setError] = useState<string | null>(problem);
  useEffect(() => {
    api<{ enabled: boolean }>('GET', '/v1/console/dev/sign-in').then(
      (answer) => setEnabled(answer.enabled),
      () => setEnabled(false),
    );
  }, []);
  if (enabled === null) return <p className="loading">Loading…</p>;
  if (!enabled) {
    return (
      <main className="sign-in">
        <h1>Ledgerline console</h1>
        <p>Sign in through your organisation’s gateway to use the console.</p>
        <Problem error={error} />
      </main>
    );
  }
  return (
    <main className="sign-in">
      <h1>Ledgerline console</h1>
      <form
        aria-label="Dev sign-in"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          api<{ token: string }>('POST', '/v1/console/dev/sign-in', { companyId, role }).then(
            ({ token }) => (session.set(token), onSignedIn()),
            (reason: unknown) => setError(describe(reason)),
          );
        }}
      >
        <p>Local sign-in for development: choose a company and a role.</p>
        <Field label="Company">
          <input name="companyId" value={companyId} onChange={(e) => setCompanyId(e.target.value)} required autoFocus />
        </Field>
        <Field label="Role">
          <select name="role" value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="practice_admin">Practice admin</option>
            <option value="accountant">Accountant</option>
            <option value="super_admin">Super admin</option>
          </select>
        </Field>
        <button type="submit" className="primary">
          Sign in
        </button>
        <Problem error={error} />
      </form>
    </main>
  );
}
