import { createEvent, deadLetterTopic, JobAssignedPayload, Topics } from '@ledgerline/contracts';
import { DLQ_HEADERS } from '@ledgerline/messaging';
import { bearerToken, eventually, SandboxOrganisation, uniqueId, XeroJson } from '@ledgerline/testing';
import { randomUUID } from 'node:crypto';
import { DOCUMENTS_JWT, DocumentsHarness, Outcome } from './support/documents-harness';

jest.setTimeout(120_000);

/**
 * Jobs as Xero projects, with the documents service as its own process against the real broker, Postgres and the
 * sandbox: a job's project (contact, name, deadline, estimate, tasks from the company's template), re-assigned and
 * completed, one answer per request under double delivery and injected 5xx/429, the assignee matched to a projects
 * user by email or reported unmapped, companies kept apart, malformed job events dead-lettered, and the mappings'
 * REST API (roles, validation, company scope).
 */
const harness = new DocumentsHarness();

beforeAll(async () => {
  const watched = [Topics.JobAssigned, Topics.JobStatusChanged, Topics.JobSynced, Topics.JobSyncFailed, Topics.ContactSyncRequested, Topics.ContactSyncFailed, Topics.XeroConnectionConnected];
  await harness.start([...watched, deadLetterTopic(Topics.JobAssigned), deadLetterTopic(Topics.JobStatusChanged)], {
    OPERATIONS_INTERVAL_MS: '100',
    OPERATIONS_RETRY_BASE_MS: '200',
    OPERATIONS_RETRY_MAX_MS: '1000',
    OPERATIONS_LEASE_MS: '3000',
  });
});

afterAll(async () => {
  await harness.stop();
});

type Role = 'super_admin' | 'practice_admin' | 'accountant' | 'client';

async function rest(method: string, path: string, as: { companyId: string; role: Role } | null, body?: unknown): Promise<{ status: number; body: XeroJson }> {
  const response = await fetch(`${harness.documents.url}${path}`, {
    method,
    headers: {
      ...(as ? { authorization: bearerToken(DOCUMENTS_JWT, { sub: `${as.role}-${as.companyId}`, companyId: as.companyId, role: as.role }) } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as XeroJson) : {} };
}

const admin = (companyId: string) => ({ companyId, role: 'practice_admin' as const });

async function knownContact(companyId: string, org: SandboxOrganisation, clientId: string, name: string): Promise<string> {
  const contactId = await org.createContact(name);
  await harness.publish(Topics.ContactSynced, companyId, { clientId, xeroContactId: contactId, contactName: name, action: 'created' });
  return contactId;
}

async function projectsUsers(org: SandboxOrganisation, users: { name: string; email: string }[]): Promise<XeroJson[]> {
  const { tenantId } = await org.token();
  const response = await fetch(`${harness.sandbox.url}/__sandbox/organisations/${tenantId}/projects-users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ users }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { items: XeroJson[] }).items;
}

/** The Projects API, read as Xero holds it. */
async function projects(org: SandboxOrganisation, path = ''): Promise<XeroJson> {
  const { accessToken, tenantId } = await org.token();
  const response = await fetch(`${harness.sandbox.url}/projects.xro/2.0/Projects${path}`, { headers: { authorization: `Bearer ${accessToken}`, 'xero-tenant-id': tenantId } });
  if (!response.ok) throw new Error(`GET Projects${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as XeroJson;
}

const tasksOf = async (org: SandboxOrganisation, projectId: string) =>
  ((await projects(org, `/${projectId}/Tasks`))['items'] as XeroJson[]).map((t) => [t['name'], (t['rate'] as XeroJson)['value'], t['chargeType'], t['estimateMinutes']]);

const jobOutcomes = (topic: typeof Topics.JobSynced | typeof Topics.JobSyncFailed, companyId: string, jobId: string): Outcome[] =>
  harness.outcomes(topic, companyId).filter((e) => (e.payload as XeroJson)['jobId'] === jobId);

/** The outcome caused by this request event. */
const answerTo = (topic: typeof Topics.JobSynced | typeof Topics.JobSyncFailed, companyId: string, eventId: string, timeoutMs = 30_000): Promise<Outcome> =>
  eventually(`${topic} for event ${eventId}`, () => harness.outcomes(topic, companyId).find((e) => e.causationId === eventId), timeoutMs);

const job = (clientId: string, overrides: Partial<JobAssignedPayload> = {}): JobAssignedPayload => ({
  jobId: uniqueId('job-'),
  clientId,
  name: 'Year-end accounts 2026',
  deadline: '2026-06-30T05:00:00Z',
  estimateAmount: '1500.00',
  ...overrides,
});

const BOOKS = { name: 'Bookkeeping', rate: '95.00', chargeType: 'TIME', estimateMinutes: 600 };
const FILING = { name: 'Filing fee', rate: '150.00', chargeType: 'FIXED' };
const REVIEW = { name: 'Partner review', rate: '0', chargeType: 'NON_CHARGEABLE', estimateMinutes: 60 };

describe('a job through its lifecycle', () => {
  it('creates the project with contact, name, deadline, estimate and the template’s tasks, updates it on re-assignment, and closes it on completion', async () => {
    const { companyId, org } = await harness.connectedCompany('lifecycle');
    const contactId = await knownContact(companyId, org, 'client-l', 'Lifecycle Client');
    const [sidney] = await projectsUsers(org, [
      { name: 'Sidney Allen', email: 'Sidney.Allen@practice.test' },
      { name: 'Ana Ruiz', email: 'ana@practice.test' },
    ]);
    expect((await rest('PUT', '/v1/job-mappings/services/annual-accounts', admin(companyId), { tasks: [BOOKS, FILING] })).status).toBe(200);

    const assigned = job('client-l', { serviceType: 'annual-accounts', assignee: 'sidney.allen@practice.test' });
    const first = await harness.publish(Topics.JobAssigned, companyId, assigned);
    const synced = await answerTo(Topics.JobSynced, companyId, first.id);
    expect(synced.payload).toEqual({ jobId: assigned.jobId, xeroProjectId: expect.any(String), status: 'INPROGRESS', xeroUserId: sidney['userId'] });
    expect(synced.correlationId).toBe(first.correlationId);
    const projectId = synced.payload['xeroProjectId'] as string;

    const project = await projects(org, `/${projectId}`);
    expect(project).toMatchObject({ contactId, name: 'Year-end accounts 2026', deadlineUtc: '2026-06-30T05:00:00Z', estimate: { value: 1500 }, status: 'INPROGRESS' });
    expect(await tasksOf(org, projectId)).toEqual([
      ['Bookkeeping', 95, 'TIME', 600],
      ['Filing fee', 150, 'FIXED', 0],
    ]);
    // The match by email is remembered as the assignee's mapping.
    const staff = await rest('GET', '/v1/job-mappings/staff', { companyId, role: 'accountant' });
    expect(staff.body['items']).toEqual([expect.objectContaining({ assignee: 'sidney.allen@practice.test', xeroUserId: sidney['userId'], source: 'matched' })]);

    // Re-assigned with a new name, estimate and deadline, and a template that gained a task.
    expect((await rest('PUT', '/v1/job-mappings/services/annual-accounts', admin(companyId), { tasks: [BOOKS, FILING, REVIEW] })).status).toBe(200);
    const second = await harness.publish(Topics.JobAssigned, companyId, { ...assigned, name: 'Year-end accounts 2026 (group)', estimateAmount: '2250.50', deadline: '2026-07-31T05:00:00Z' });
    expect((await answerTo(Topics.JobSynced, companyId, second.id)).payload).toMatchObject({ xeroProjectId: projectId, status: 'INPROGRESS' });
    expect(await projects(org, `/${projectId}`)).toMatchObject({ contactId, name: 'Year-end accounts 2026 (group)', deadlineUtc: '2026-07-31T05:00:00Z', estimate: { value: 2250.5 } });
    expect(await tasksOf(org, projectId)).toEqual([
      ['Bookkeeping', 95, 'TIME', 600],
      ['Filing fee', 150, 'FIXED', 0],
      ['Partner review', 0, 'NON_CHARGEABLE', 60],
    ]);
    expect((await projects(org))['items']).toHaveLength(1);

    const done = await harness.publish(Topics.JobStatusChanged, companyId, { jobId: assigned.jobId, status: 'completed' });
    expect((await answerTo(Topics.JobSynced, companyId, done.id)).payload).toMatchObject({ jobId: assigned.jobId, xeroProjectId: projectId, status: 'CLOSED' });
    expect((await projects(org, `/${projectId}`))['status']).toBe('CLOSED');
    const reopened = await harness.publish(Topics.JobStatusChanged, companyId, { jobId: assigned.jobId, status: 'in_progress' });
    expect((await answerTo(Topics.JobSynced, companyId, reopened.id)).payload).toMatchObject({ status: 'INPROGRESS' });
    expect((await projects(org, `/${projectId}`))['status']).toBe('INPROGRESS');
    expect(jobOutcomes(Topics.JobSynced, companyId, assigned.jobId)).toHaveLength(4);
    expect(jobOutcomes(Topics.JobSyncFailed, companyId, assigned.jobId)).toEqual([]);

    // Listed and shown over REST.
    const list = await rest('GET', '/v1/jobs', { companyId, role: 'accountant' });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, items: [{ jobId: assigned.jobId, status: 'synced', jobStatus: 'in_progress', xero: { projectId, status: 'INPROGRESS', contactId, userId: sidney['userId'] } }] });
    const shown = await rest('GET', `/v1/jobs/${(list.body['items'] as XeroJson[])[0]['id']}`, { companyId, role: 'accountant' });
    expect(shown.body).toMatchObject({ name: 'Year-end accounts 2026 (group)', request: { estimateAmount: '2250.50', serviceType: 'annual-accounts' } });
  });

  it('waits for the client’s contact, reports an unmapped assignee without blocking, uses a mapping set by hand, and fails a status change for an unknown job', async () => {
    const { companyId, org } = await harness.connectedCompany('waiting');
    const [ana] = await projectsUsers(org, [{ name: 'Ana Ruiz', email: 'ana@practice.test' }]);
    const unmapped = job('client-w', { assignee: 'nobody@practice.test' });
    const event = await harness.publish(Topics.JobAssigned, companyId, unmapped);
    await eventually('one contact.sync_requested for the client', () => harness.outcomes(Topics.ContactSyncRequested, companyId).length === 1);
    // Closed before its project exists: applied once the project is made, and answered then.
    const closed = await harness.publish(Topics.JobStatusChanged, companyId, { jobId: unmapped.jobId, status: 'cancelled' });
    await eventually('the job to wait for its contact with both requests', async () => {
      const [row] = await harness.rows<{ status: string; waiting_origins: unknown[] }>(`SELECT "status", "waiting_origins" FROM "documents"."jobs" WHERE "company_id" = $1`, [companyId]);
      return row?.status === 'waiting_contact' && row.waiting_origins.length === 2;
    });
    expect((await projects(org))['items']).toEqual([]);

    await knownContact(companyId, org, 'client-w', 'Waiting Client');
    const synced = await answerTo(Topics.JobSynced, companyId, event.id);
    expect(synced.payload).toEqual({ jobId: unmapped.jobId, xeroProjectId: expect.any(String), status: 'CLOSED', unmappedAssignee: 'nobody@practice.test' });
    expect((await answerTo(Topics.JobSynced, companyId, closed.id)).payload).toMatchObject({ status: 'CLOSED' });
    expect((await projects(org, `/${synced.payload['xeroProjectId']}`))['status']).toBe('CLOSED');

    // Mapped by hand: the mapping wins over Xero's emails.
    expect((await rest('PUT', `/v1/job-mappings/staff/${encodeURIComponent('Contractor@Elsewhere.test')}`, admin(companyId), { xeroUserId: ana['userId'], xeroUserName: 'Ana Ruiz' })).status).toBe(200);
    const mapped = job('client-w', { assignee: 'contractor@elsewhere.test' });
    const mappedEvent = await harness.publish(Topics.JobAssigned, companyId, mapped);
    expect((await answerTo(Topics.JobSynced, companyId, mappedEvent.id)).payload).toMatchObject({ xeroUserId: ana['userId'] });

    const unknown = await harness.publish(Topics.JobStatusChanged, companyId, { jobId: 'job-never-assigned', status: 'completed' });
    expect((await answerTo(Topics.JobSyncFailed, companyId, unknown.id)).payload).toEqual({
      jobId: 'job-never-assigned',
      failure: { code: 'INVALID_REQUEST', messages: ['no job.assigned was received for job job-never-assigned'] },
    });
    const listed = await rest('GET', '/v1/jobs?status=synced', { companyId, role: 'accountant' });
    expect((listed.body['items'] as XeroJson[]).map((j) => [j['jobId'], j['unmappedAssignee']]).sort()).toEqual(
      [
        [unmapped.jobId, 'nobody@practice.test'],
        [mapped.jobId, null],
      ].sort(),
    );
  });
});

describe('a company not connected yet', () => {
  it("keeps a job whose contact could not be synced for want of a connection waiting, asks for the contact again on connecting, then syncs it", async () => {
    const { companyId, org } = await harness.connectedCompany('later');
    const assigned = job('client-later');
    const event = await harness.publish(Topics.JobAssigned, companyId, assigned);
    await eventually('a contact.sync_requested for the client', () => harness.outcomes(Topics.ContactSyncRequested, companyId).length === 1);
    await harness.publish(Topics.ContactSyncFailed, companyId, { clientId: 'client-later', failure: { code: 'NOT_CONNECTED', messages: ['CONNECTION_NOT_FOUND'] } });
    await harness.publish(Topics.XeroConnectionConnected, companyId, { connectionId: randomUUID(), tenantId: (await org.token()).tenantId, organisationName: 'Later Ltd', connectedBy: 'user-later' });
    const asked = await eventually('the contact asked for again', () => {
      const requests = harness.outcomes(Topics.ContactSyncRequested, companyId);
      return requests.length === 2 ? requests : undefined;
    });
    expect(asked.map((e) => e.payload.clientId)).toEqual(['client-later', 'client-later']);
    expect(jobOutcomes(Topics.JobSyncFailed, companyId, assigned.jobId)).toEqual([]);
    await knownContact(companyId, org, 'client-later', 'Later Client');
    expect((await answerTo(Topics.JobSynced, companyId, event.id)).payload).toMatchObject({ jobId: assigned.jobId, status: 'INPROGRESS' });
  });
});

describe('a faulty Xero and double delivery', () => {
  it('answers each request once and makes each project once while calls fail with 503 and 429', async () => {
    const { companyId, org } = await harness.connectedCompany('faulty');
    await knownContact(companyId, org, 'client-f', 'Faulty Client');
    expect((await rest('PUT', '/v1/job-mappings/services/payroll', admin(companyId), { tasks: [BOOKS, REVIEW] })).status).toBe(200);
    await org.addFault({ errorRate: 1, errorStatus: 503, remaining: 1 });
    await org.addFault({ rateLimitRate: 1, retryAfterSeconds: 1, remaining: 1 });
    await org.addFault({ errorRate: 0.2, errorStatus: 503, rateLimitRate: 0.15, retryAfterSeconds: 1 });

    const jobs = Array.from({ length: 5 }, (_, i) => job('client-f', { name: `Payroll run ${i + 1}`, serviceType: 'payroll' }));
    const events = jobs.map((payload) => createEvent(Topics.JobAssigned, companyId, payload));
    // Each event delivered twice.
    await harness.probe.send(
      harness.topic(Topics.JobAssigned),
      events.flatMap((e) => [
        { key: companyId, value: JSON.stringify(e) },
        { key: companyId, value: JSON.stringify(e) },
      ]),
    );
    const synced = await Promise.all(events.map((e) => answerTo(Topics.JobSynced, companyId, e.id, 60_000)));
    const closes = jobs.map((j) => createEvent(Topics.JobStatusChanged, companyId, { jobId: j.jobId, status: 'completed' }));
    await harness.probe.send(
      harness.topic(Topics.JobStatusChanged),
      closes.flatMap((e) => [
        { key: companyId, value: JSON.stringify(e) },
        { key: companyId, value: JSON.stringify(e) },
      ]),
    );
    await Promise.all(closes.map((e) => answerTo(Topics.JobSynced, companyId, e.id, 60_000)));
    await org.clearFaults();
    await new Promise((r) => setTimeout(r, 1_500));

    const all = (await projects(org, '?pageSize=500'))['items'] as XeroJson[];
    expect(all.map((p) => p['name']).sort()).toEqual(jobs.map((j) => j.name).sort());
    expect(all.every((p) => p['status'] === 'CLOSED')).toBe(true);
    for (const answer of synced) expect((await tasksOf(org, answer.payload['xeroProjectId'] as string)).map((t) => t[0])).toEqual(['Bookkeeping', 'Partner review']);
    expect(harness.outcomes(Topics.JobSynced, companyId)).toHaveLength(jobs.length * 2);
    expect(harness.outcomes(Topics.JobSyncFailed, companyId)).toEqual([]);
    const calls = (await org.calls()).filter((c) => c.endpoint.includes('/projects.xro/'));
    expect(calls.some((c) => c.status === 503)).toBe(true);
    expect(calls.some((c) => c.status === 429)).toBe(true);
  });
});

describe('companies, malformed events and the mappings API', () => {
  it("puts each company's project only in its own organisation, with its own template", async () => {
    const a = await harness.connectedCompany('alpha');
    const b = await harness.connectedCompany('beta');
    const aContact = await knownContact(a.companyId, a.org, 'shared-client', 'Alpha Client');
    const bContact = await knownContact(b.companyId, b.org, 'shared-client', 'Beta Client');
    await rest('PUT', '/v1/job-mappings/services/audit', admin(a.companyId), { tasks: [BOOKS] });
    await rest('PUT', '/v1/job-mappings/services/audit', admin(b.companyId), { tasks: [FILING] });
    const shared = job('shared-client', { jobId: 'job-shared', serviceType: 'audit' });
    const aEvent = await harness.publish(Topics.JobAssigned, a.companyId, shared);
    const bEvent = await harness.publish(Topics.JobAssigned, b.companyId, shared);
    const [aSynced, bSynced] = await Promise.all([answerTo(Topics.JobSynced, a.companyId, aEvent.id), answerTo(Topics.JobSynced, b.companyId, bEvent.id)]);
    const aProjects = (await projects(a.org))['items'] as XeroJson[];
    const bProjects = (await projects(b.org))['items'] as XeroJson[];
    expect(aProjects.map((p) => [p['projectId'], p['contactId']])).toEqual([[aSynced.payload['xeroProjectId'], aContact]]);
    expect(bProjects.map((p) => [p['projectId'], p['contactId']])).toEqual([[bSynced.payload['xeroProjectId'], bContact]]);
    expect((await tasksOf(a.org, aSynced.payload['xeroProjectId'] as string)).map((t) => t[0])).toEqual(['Bookkeeping']);
    expect((await tasksOf(b.org, bSynced.payload['xeroProjectId'] as string)).map((t) => t[0])).toEqual(['Filing fee']);
    // Neither sees the other's job over REST.
    const aJobs = await rest('GET', '/v1/jobs', { companyId: a.companyId, role: 'accountant' });
    expect((aJobs.body['items'] as XeroJson[]).map((j) => (j['xero'] as XeroJson)['projectId'])).toEqual([aSynced.payload['xeroProjectId']]);
    const bJobId = ((await rest('GET', '/v1/jobs', { companyId: b.companyId, role: 'accountant' })).body['items'] as XeroJson[])[0]['id'];
    expect((await rest('GET', `/v1/jobs/${bJobId}`, { companyId: a.companyId, role: 'accountant' })).status).toBe(404);
  });

  it('dead-letters malformed job events with the reason, and fails an estimate Xero cannot keep without a call', async () => {
    const { companyId, org } = await harness.connectedCompany('malformed');
    await knownContact(companyId, org, 'client-m', 'Malformed Client');
    const assignedEvent = createEvent(Topics.JobAssigned, companyId, job('client-m'));
    const badAssigned = { ...assignedEvent, payload: { ...assignedEvent.payload, name: '' } };
    const statusEvent = createEvent(Topics.JobStatusChanged, companyId, { jobId: 'job-m', status: 'completed' });
    const badStatus = { ...statusEvent, payload: { ...statusEvent.payload, status: 'done' } };
    await harness.probe.send(harness.topic(Topics.JobAssigned), [{ key: companyId, value: JSON.stringify(badAssigned) }]);
    await harness.probe.send(harness.topic(Topics.JobStatusChanged), [{ key: companyId, value: JSON.stringify(badStatus) }]);
    const assignedLetter = await eventually('the job.assigned in the dead-letter topic', () =>
      harness.probe.on(deadLetterTopic(harness.topic(Topics.JobAssigned))).find((m) => m.json<{ id: string }>().id === badAssigned.id),
    );
    const statusLetter = await eventually('the job.status_changed in the dead-letter topic', () =>
      harness.probe.on(deadLetterTopic(harness.topic(Topics.JobStatusChanged))).find((m) => m.json<{ id: string }>().id === badStatus.id),
    );
    expect(assignedLetter.headers[DLQ_HEADERS.reason]).toMatch(/name/);
    expect(statusLetter.headers[DLQ_HEADERS.reason]).toMatch(/status/);

    const impossible = await harness.publish(Topics.JobAssigned, companyId, job('client-m', { estimateAmount: '10.005' }));
    expect((await answerTo(Topics.JobSyncFailed, companyId, impossible.id)).payload['failure']).toEqual({
      code: 'INVALID_REQUEST',
      messages: ['estimateAmount must have at most 2 decimal places (Xero keeps 2)'],
    });
    expect((await org.calls()).filter((c) => c.endpoint.includes('/projects.xro/'))).toEqual([]);
  });

  it('keeps the mappings per company: staff read them, admins change them, with every problem named', async () => {
    const { companyId } = await harness.connectedCompany('mappings');
    const other = await harness.connectedCompany('mappings-other');
    const path = '/v1/job-mappings/services/tax-return';

    expect((await rest('GET', '/v1/job-mappings/services', null)).status).toBe(401);
    expect((await rest('GET', '/v1/job-mappings/services', { companyId, role: 'client' })).status).toBe(403);
    expect((await rest('PUT', path, { companyId, role: 'accountant' }, { tasks: [BOOKS] })).status).toBe(403);
    expect((await rest('PUT', '/v1/job-mappings/staff/someone@practice.test', { companyId, role: 'accountant' }, { xeroUserId: '7a6f0e4c-2b1d-4c3e-9f8a-1b2c3d4e5f60' })).status).toBe(403);

    const invalid = await rest('PUT', path, admin(companyId), { tasks: [{ name: '', rate: '1.234', chargeType: 'HOURLY', estimateMinutes: -5 }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    const problems = (invalid.body['problems'] as string[]).join('\n');
    for (const expected of [/name must not be empty/, /rate must be a non-negative decimal string/, /chargeType must be one of TIME, FIXED, NON_CHARGEABLE/, /estimateMinutes must not be negative/]) {
      expect(problems).toMatch(expected);
    }
    const duplicate = await rest('PUT', path, admin(companyId), { tasks: [BOOKS, { ...BOOKS, name: 'bookkeeping' }] });
    expect(duplicate).toMatchObject({ status: 400, body: { code: 'INVALID_MAPPING', problems: [expect.stringMatching(/appears more than once/)] } });
    const badStaff = await rest('PUT', '/v1/job-mappings/staff/not-an-email', admin(companyId), { xeroUserId: 'nope' });
    expect(badStaff.status).toBe(400);
    expect((badStaff.body['problems'] as string[]).join('\n')).toMatch(/xeroUserId must be a Xero projects user id/);

    const saved = await rest('PUT', path, admin(companyId), { tasks: [BOOKS, FILING] });
    expect(saved).toMatchObject({ status: 200, body: { serviceType: 'tax-return', tasks: [BOOKS, FILING], updatedBy: `practice_admin-${companyId}` } });
    // A super admin edits and reads any company's, naming it.
    expect((await rest('PUT', `${path}?companyId=${other.companyId}`, { companyId: 'platform', role: 'super_admin' }, { tasks: [REVIEW] })).status).toBe(200);
    const mine = await rest('GET', '/v1/job-mappings/services', { companyId, role: 'accountant' });
    const theirs = await rest('GET', `/v1/job-mappings/services?companyId=${other.companyId}`, { companyId: 'platform', role: 'super_admin' });
    expect((mine.body['items'] as XeroJson[]).map((t) => [t['serviceType'], (t['tasks'] as XeroJson[]).map((x) => x['name'])])).toEqual([['tax-return', ['Bookkeeping', 'Filing fee']]]);
    expect((theirs.body['items'] as XeroJson[]).map((t) => [t['serviceType'], (t['tasks'] as XeroJson[]).map((x) => x['name'])])).toEqual([['tax-return', ['Partner review']]]);
    // Anyone else naming another company finds nothing there.
    expect((await rest('GET', `/v1/job-mappings/services?companyId=${other.companyId}`, { companyId, role: 'practice_admin' })).status).toBe(404);
  });
});
