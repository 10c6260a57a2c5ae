import { useRef, useState } from 'react';
import { api } from '../api';
import { describe, Field, Problem, Section, Status, Table, useLoad, when } from '../ui';

type ChargeType = 'TIME' | 'FIXED' | 'NON_CHARGEABLE';
interface Task {
  name: string;
  rate: string;
  chargeType: ChargeType;
  estimateMinutes?: number;
}
interface ServiceTemplate {
  serviceType: string;
  tasks: Task[];
  updatedBy: string | null;
  updatedAt: string;
}
interface StaffMapping {
  assignee: string;
  xeroUserId: string;
  xeroUserName: string | null;
  source: 'matched' | 'manual';
  updatedBy: string | null;
  updatedAt: string;
}
/** A task as typed: every field text until it is sent. */
interface TaskDraft {
  name: string;
  rate: string;
  chargeType: ChargeType;
  estimateMinutes: string;
}

const MAPPINGS = '/api/documents/v1/job-mappings';
const CHARGE_TYPES: ChargeType[] = ['TIME', 'FIXED', 'NON_CHARGEABLE'];
const blankTask = (): TaskDraft => ({ name: '', rate: '', chargeType: 'TIME', estimateMinutes: '' });
const draftOf = (task: Task): TaskDraft => ({ ...task, estimateMinutes: task.estimateMinutes === undefined ? '' : String(task.estimateMinutes) });
const minutes = (text: string): number | string | undefined => (text.trim() === '' ? undefined : /^-?\d+$/.test(text.trim()) ? Number(text) : text);

export function JobMappingsView() {
  return (
    <>
      <ServicesSection />
      <StaffSection />
    </>
  );
}

function ServicesSection() {
  const { data, error, reload } = useLoad(() => api<{ items: ServiceTemplate[] }>('GET', `${MAPPINGS}/services`), []);
  const [serviceType, setServiceType] = useState('');
  const [tasks, setTasks] = useState<TaskDraft[]>([blankTask()]);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const serviceInput = useRef<HTMLInputElement>(null);
  const edit = (i: number, change: Partial<TaskDraft>) => setTasks(tasks.map((task, j) => (j === i ? { ...task, ...change } : task)));
  const save = () => {
    setProblem(null);
    setSaved(null);
    // A non-number estimate is sent as typed, so the service names what is wrong with it.
    const body = { tasks: tasks.map((t) => ({ name: t.name, rate: t.rate, chargeType: t.chargeType, ...(minutes(t.estimateMinutes) === undefined ? {} : { estimateMinutes: minutes(t.estimateMinutes) }) })) };
    api<ServiceTemplate>('PUT', `${MAPPINGS}/services/${encodeURIComponent(serviceType.trim())}`, body).then(
      (answer) => (setSaved(answer.serviceType), reload()),
      (reason: unknown) => setProblem(describe(reason)),
    );
  };
  return (
    <Section title="Service mappings" actions={<button onClick={reload}>Refresh</button>}>
      <p>The tasks a job of each service type gets in its Xero project.</p>
      <Problem error={error} />
      {data && (
        <Table
          caption="Service mappings"
          rows={data.items}
          empty="No service type is mapped yet."
          columns={[
            { title: 'Service type', cell: (s) => s.serviceType },
            {
              title: 'Tasks',
              cell: (s) => (
                <ul className="plain">
                  {s.tasks.map((t, i) => (
                    <li key={i}>
                      {t.name} — {t.chargeType} {t.rate}
                      {t.estimateMinutes === undefined ? '' : `, ${t.estimateMinutes} min`}
                    </li>
                  ))}
                </ul>
              ),
            },
            { title: 'Updated by', cell: (s) => s.updatedBy ?? '—' },
            { title: 'Updated', cell: (s) => when(s.updatedAt) },
            {
              title: 'Edit',
              cell: (s) => (
                <button
                  type="button"
                  className="link"
                  aria-label={`Edit ${s.serviceType}`}
                  onClick={() => (setServiceType(s.serviceType), setTasks(s.tasks.length ? s.tasks.map(draftOf) : [blankTask()]), setProblem(null), setSaved(null), serviceInput.current?.focus())}
                >
                  Edit
                </button>
              ),
            },
          ]}
        />
      )}
      <form
        aria-label="Save a service mapping"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <h3>Save a service mapping (replaces its task list)</h3>
        <Field label="Service type">
          <input ref={serviceInput} name="serviceType" value={serviceType} onChange={(e) => setServiceType(e.target.value)} required maxLength={100} />
        </Field>
        {tasks.map((task, i) => (
          <fieldset key={i} className="line">
            <legend>Task {i + 1}</legend>
            <Field label="Task name">
              <input name={`task-${i}-name`} value={task.name} onChange={(e) => edit(i, { name: e.target.value })} />
            </Field>
            <Field label="Rate">
              <input name={`task-${i}-rate`} value={task.rate} inputMode="decimal" placeholder="95.00" onChange={(e) => edit(i, { rate: e.target.value })} />
            </Field>
            <Field label="Charge type">
              <select name={`task-${i}-chargeType`} value={task.chargeType} onChange={(e) => edit(i, { chargeType: e.target.value as ChargeType })}>
                {CHARGE_TYPES.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </Field>
            <Field label="Estimate (minutes)">
              <input name={`task-${i}-estimateMinutes`} value={task.estimateMinutes} inputMode="numeric" onChange={(e) => edit(i, { estimateMinutes: e.target.value })} />
            </Field>
            <button type="button" onClick={() => setTasks(tasks.filter((_, j) => j !== i))} aria-label={`Remove task ${i + 1}`}>
              Remove
            </button>
          </fieldset>
        ))}
        <div className="actions">
          <button type="button" onClick={() => setTasks([...tasks, blankTask()])}>
            Add a task
          </button>
          <button type="submit" className="primary">
            Save service mapping
          </button>
        </div>
        {saved && <p role="status">Saved the tasks of {saved}.</p>}
        <Problem error={problem} />
      </form>
    </Section>
  );
}

function StaffSection() {
  const { data, error, reload } = useLoad(() => api<{ items: StaffMapping[] }>('GET', `${MAPPINGS}/staff`), []);
  const [assignee, setAssignee] = useState('');
  const [xeroUserId, setXeroUserId] = useState('');
  const [xeroUserName, setXeroUserName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const save = () => {
    setProblem(null);
    setSaved(null);
    const body = { xeroUserId: xeroUserId.trim(), ...(xeroUserName.trim() ? { xeroUserName: xeroUserName.trim() } : {}) };
    api<StaffMapping>('PUT', `${MAPPINGS}/staff/${encodeURIComponent(assignee.trim())}`, body).then(
      (answer) => (setSaved(answer.assignee), reload()),
      (reason: unknown) => setProblem(describe(reason)),
    );
  };
  return (
    <Section title="Staff mappings" actions={<button onClick={reload}>Refresh</button>}>
      <p>Which Xero projects user each assignee is: matched by email, or set here.</p>
      <Problem error={error} />
      {data && (
        <Table
          caption="Staff mappings"
          rows={data.items}
          empty="No assignee is mapped yet."
          columns={[
            { title: 'Assignee', cell: (s) => s.assignee },
            { title: 'Xero user', cell: (s) => s.xeroUserName ?? '—' },
            { title: 'Xero user id', cell: (s) => s.xeroUserId },
            { title: 'Source', cell: (s) => <Status value={s.source} /> },
            { title: 'Updated by', cell: (s) => s.updatedBy ?? '—' },
            { title: 'Updated', cell: (s) => when(s.updatedAt) },
          ]}
        />
      )}
      <h3>Save a staff mapping</h3>
      <form
        className="filters"
        aria-label="Save a staff mapping"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <Field label="Assignee email">
          <input name="assignee" type="email" value={assignee} onChange={(e) => setAssignee(e.target.value)} required maxLength={255} />
        </Field>
        <Field label="Xero projects user id">
          <input name="xeroUserId" value={xeroUserId} onChange={(e) => setXeroUserId(e.target.value)} required />
        </Field>
        <Field label="Xero user name (optional)">
          <input name="xeroUserName" value={xeroUserName} onChange={(e) => setXeroUserName(e.target.value)} maxLength={255} />
        </Field>
        <button type="submit" className="primary">
          Save staff mapping
        </button>
      </form>
      {saved && <p role="status">Saved the mapping of {saved}.</p>}
      <Problem error={problem} />
    </Section>
  );
}
