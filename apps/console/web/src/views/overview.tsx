import { api } from '../api';
import { Problem, Section, Status, useLoad, when } from '../ui';

interface Tally {
  count: number;
  amount: string;
}
interface Overview {
  asOf: string;
  connection: { status: string; organisationName: string | null; changedAt: string } | null;
  invoices: {
    raised: number;
    paid: number;
    outstanding: number;
    overdue: number;
    failed: number;
    receivables: { currencyCode: string; outstanding: Tally; overdue: Tally; buckets: Record<string, Tally> }[];
  };
  quotes: { byStatus: Record<string, number> };
  jobs: { byStatus: Record<string, number> };
}

const BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'];

export function OverviewView() {
  const { data, error, reload } = useLoad(() => api<Overview>('GET', '/v1/console/overview'), []);
  return (
    <Section title="Overview" actions={<button onClick={reload}>Refresh</button>}>
      <Problem error={error} />
      {data && (
        <>
          <p>
            Xero: {data.connection ? <Status value={data.connection.status} /> : 'never connected'} {data.connection?.organisationName ?? ''}{' '}
            {data.connection && <small>since {when(data.connection.changedAt)}</small>}
          </p>
          <ul className="cards" aria-label="Invoices">
            {(
              [
                ['Invoices raised', data.invoices.raised],
                ['Paid', data.invoices.paid],
                ['Outstanding', data.invoices.outstanding],
                ['Overdue', data.invoices.overdue],
                ['Failed', data.invoices.failed],
              ] as const
            ).map(([label, value]) => (
              <li key={label} className="card">
                <span className="card-label">{label}</span>
                <strong data-testid={`overview-${label.toLowerCase().replace(/\s/g, '-')}`}>{value}</strong>
              </li>
            ))}
          </ul>
          <h3>Aged receivables (as of {data.asOf})</h3>
          {data.invoices.receivables.length === 0 ? (
            <p className="empty">Nothing outstanding.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Currency</th>
                  {BUCKETS.map((b) => (
                    <th key={b} scope="col">
                      {b === 'current' ? 'Current' : `${b} days`}
                    </th>
                  ))}
                  <th scope="col">Outstanding</th>
                </tr>
              </thead>
              <tbody>
                {data.invoices.receivables.map((r) => (
                  <tr key={r.currencyCode}>
                    <th scope="row">{r.currencyCode}</th>
                    {BUCKETS.map((b) => (
                      <td key={b}>
                        {r.buckets[b].amount} <small>({r.buckets[b].count})</small>
                      </td>
                    ))}
                    <td>{r.outstanding.amount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="columns">
            <StatusCounts title="Quotes by status" counts={data.quotes.byStatus} />
            <StatusCounts title="Jobs by status" counts={data.jobs.byStatus} />
          </div>
        </>
      )}
    </Section>
  );
}

function StatusCounts({ title, counts }: { title: string; counts: Record<string, number> }) {
  return (
    <div>
      <h3>{title}</h3>
      <dl className="counts">
        {Object.entries(counts).map(([status, count]) => (
          <div key={status}>
            <dt>{status.replace(/_/g, ' ')}</dt>
            <dd>{count}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
