import { useState } from 'react';
import { api } from '../api';
import { describe, Field, Problem, Section, Status, useLoad, when } from '../ui';

interface ConnectionView {
  status: string;
  connected: boolean;
  tenantId?: string | null;
  organisationName?: string | null;
  connectedBy?: string;
  connectedAt?: string | null;
  statusDetail?: string | null;
  statusChangedAt?: string;
  tenantsToChooseFrom?: { tenantId: string; organisationName: string }[];
  tokenHealth?: Record<string, unknown>;
}

const CONNECTIONS = '/api/connections/v1/connections/xero';

/** Connect (Xero's consent page, then back to /connect/callback), choose the organisation, disconnect; tokens stay in connections. */
export function ConnectionView() {
  const { data, error, reload } = useLoad(() => api<ConnectionView>('GET', CONNECTIONS), []);
  const [problem, setProblem] = useState<string | null>(null);
  const [tenant, setTenant] = useState('');
  const act = (work: () => Promise<unknown>) => () => {
    setProblem(null);
    work().then(reload, (reason: unknown) => setProblem(describe(reason)));
  };
  return (
    <Section title="Xero connection" actions={<button onClick={reload}>Refresh</button>}>
      <Problem error={error ?? problem} />
      {data && (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd data-testid="connection-status">
              <Status value={data.status} />
            </dd>
            <dt>Organisation</dt>
            <dd>{data.organisationName ?? '—'}</dd>
            <dt>Tenant</dt>
            <dd>{data.tenantId ?? '—'}</dd>
            <dt>Connected</dt>
            <dd>
              {when(data.connectedAt)} {data.connectedBy ? `by ${data.connectedBy}` : ''}
            </dd>
            {data.statusDetail && (
              <>
                <dt>Why</dt>
                <dd>{data.statusDetail}</dd>
              </>
            )}
            {data.tokenHealth && (
              <>
                <dt>Token health</dt>
                <dd>
                  <ul className="plain">
                    {Object.entries(data.tokenHealth).map(([key, value]) => (
                      <li key={key}>
                        {key}: {typeof value === 'object' ? JSON.stringify(value) : String(value)}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
          <div className="actions">
            {!data.connected && (
              <button
                className="primary"
                onClick={act(async () => {
                  const { authorizeUrl } = await api<{ authorizeUrl: string }>('POST', `${CONNECTIONS}/authorize`);
                  window.location.assign(authorizeUrl);
                })}
              >
                Connect to Xero
              </button>
            )}
            {data.status !== 'not_connected' && data.status !== 'disconnected' && (
              <button className="danger" onClick={act(() => api('DELETE', CONNECTIONS))}>
                Disconnect
              </button>
            )}
          </div>
          {data.tenantsToChooseFrom && data.tenantsToChooseFrom.length > 0 && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                act(() => api('POST', `${CONNECTIONS}/tenant`, { tenantId: tenant }))();
              }}
            >
              <Field label="Organisation to use">
                <select value={tenant} onChange={(e) => setTenant(e.target.value)} required>
                  <option value="">Choose…</option>
                  {data.tenantsToChooseFrom.map((t) => (
                    <option key={t.tenantId} value={t.tenantId}>
                      {t.organisationName}
                    </option>
                  ))}
                </select>
              </Field>
              <button type="submit">Use this organisation</button>
            </form>
          )}
        </>
      )}
    </Section>
  );
}

let completing: Promise<unknown> | null = null;

/**
 * Xero sent the browser back here: hand the code and state to connections, with the signed-in person's JWT. Once per
 * page load: a code and state can be used only once.
 */
export function completeConnect(search: string): Promise<unknown> {
  completing ??= api('GET', `${CONNECTIONS}/callback${search}`);
  return completing;
}
