import { useState } from 'react';
import { api, query } from '../api';
import { Pager, Problem, Section, Table, useLoad, when } from '../ui';

interface Mapping {
  clientId: string;
  xeroContactId: string;
  contactName: string;
  linkedBy: string;
  linkedAt: string;
  lastWrittenAt: string;
}

export function ContactsView() {
  const [page, setPage] = useState(1);
  const { data, error, reload } = useLoad(() => api<{ total: number; items: Mapping[] }>('GET', `/api/contacts/v1/contacts/mappings${query({ page, pageSize: 25 })}`), [page]);
  return (
    <Section title="Contact mappings" actions={<button onClick={reload}>Refresh</button>}>
      <Problem error={error} />
      {data && (
        <>
          <Table
            caption="Contact mappings"
            rows={data.items}
            columns={[
              { title: 'Client', cell: (m) => m.clientId },
              { title: 'Xero contact', cell: (m) => m.contactName },
              { title: 'Contact id', cell: (m) => m.xeroContactId },
              { title: 'Linked by', cell: (m) => m.linkedBy },
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
