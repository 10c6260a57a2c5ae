import { ReactNode, useCallback, useEffect, useState } from 'react';
import { ApiError } from './api';

/** Loads with `load` whenever `deps` change; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null; loading: boolean; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const run = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    setLoading(true);
    run().then(
      (value) => live && (setData(value), setError(null), setLoading(false)),
      (reason: unknown) => live && (setError(describe(reason)), setLoading(false)),
    );
    return () => {
      live = false;
    };
  }, [run, round]);
  return { data, error, loading, reload: () => setRound((n) => n + 1) };
}

export const describe = (reason: unknown): string =>
  reason instanceof ApiError ? `${reason.message}${reason.problems.length ? `: ${reason.problems.join('; ')}` : ''} (${reason.code})` : reason instanceof Error ? reason.message : String(reason);

export function Problem({ error }: { error: string | null }) {
  return error ? (
    <p className="problem" role="alert">
      {error}
    </p>
  ) : null;
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section aria-label={title}>
      <header className="section-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

export interface Column<T> {
  title: string;
  cell: (row: T) => ReactNode;
}

export function Table<T>({ caption, rows, columns, onOpen, empty = 'Nothing here yet.' }: { caption: string; rows: T[]; columns: Column<T>[]; onOpen?: (row: T) => void; empty?: string }) {
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  return (
    <table>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.title} scope="col">
              {c.title}
            </th>
          ))}
          {onOpen && <th scope="col">Detail</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            {columns.map((c) => (
              <td key={c.title}>{c.cell(row)}</td>
            ))}
            {onOpen && (
              <td>
                <button type="button" className="link" onClick={() => onOpen(row)}>
                  Open
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page} of {pages} ({total} in all)
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}

export function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="json" aria-label={label} tabIndex={0}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

export const when = (iso: unknown): string => (typeof iso === 'string' ? new Date(iso).toLocaleString() : '—');

export function Status({ value }: { value: unknown }) {
  const text = String(value ?? '—');
  return <span className={`status status-${text.replace(/[^a-z_]/gi, '')}`}>{text.replace(/_/g, ' ')}</span>;
}
