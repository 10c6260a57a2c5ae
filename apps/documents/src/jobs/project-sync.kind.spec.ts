import { XeroClientService } from '@ledgerline/xero-client';
import { Operation } from '@ledgerline/xero-operations';
import { DataSource } from 'typeorm';
import { JobMappings } from './job-mappings.service';
import { JobRecords } from './job-records.service';
import { ProjectSyncBody, ProjectSyncKind } from './project-sync.kind';

const CONTACT = '7a6f0e4c-2b1d-4c3e-9f8a-1b2c3d4e5f60';
const HELD = '11111111-1111-4111-8111-111111111111';
const LOST = '22222222-2222-4222-8222-222222222222';

/** The kind with Xero and the tables faked: projects of the contact in Xero, and which of them jobs already hold. */
function kindWith(xeroProjects: { projectId: string; name: string }[], held: string[]) {
  const calls: string[] = [];
  const xero = {
    listProjects: async () => ({ items: xeroProjects, page: 1, pageSize: 500, hasMore: false }),
    getProject: async (_c: string, projectId: string) => {
      calls.push(`get ${projectId}`);
      return { projectId, contactId: CONTACT, name: 'Audit', status: 'INPROGRESS', currencyCode: 'NZD' };
    },
    listProjectTasks: async () => [],
    createProjectTask: async (_c: string, projectId: string, task: { name: string }) => {
      calls.push(`task ${projectId} ${task.name}`);
      return {};
    },
    updateProject: async () => calls.push('update'),
    createProject: async () => calls.push('create'),
  } as unknown as XeroClientService;
  const records = { projectOf: async () => null, heldProjects: async () => new Set(held) } as unknown as JobRecords;
  const kind = new ProjectSyncKind(xero, { manager: {} } as unknown as DataSource, records, {} as JobMappings);
  return { kind, calls };
}

const operation: Operation<ProjectSyncBody> = {
  id: 'op-1',
  companyId: 'company-1',
  kind: 'project.sync',
  target: 'job-row-1',
  body: { action: 'assign', jobId: 'job-1', project: { contactId: CONTACT, name: 'Audit' }, tasks: [{ name: 'Fieldwork', rate: 120, chargeType: 'TIME' }], answers: [] },
  correlationId: 'corr-1',
  causationId: 'event-1',
};

describe('ProjectSyncKind.lookUp', () => {
  it("claims the contact's project of that name no other job holds, and finishes the sequence on it without creating another", async () => {
    const { kind, calls } = kindWith(
      [
        { projectId: HELD, name: 'Audit' },
        { projectId: LOST, name: 'Audit' },
        { projectId: '33333333-3333-4333-8333-333333333333', name: 'Other' },
      ],
      [HELD],
    );
    expect(await kind.lookUp('company-1', [operation])).toEqual([{ xeroProjectId: LOST, status: 'INPROGRESS' }]);
    expect(calls).toEqual([`get ${LOST}`, `task ${LOST} Fieldwork`]);
  });

  it('finds nothing when every such project is held by a job, so the creation is sent again', async () => {
    const { kind, calls } = kindWith([{ projectId: HELD, name: 'Audit' }], [HELD]);
    expect(await kind.lookUp('company-1', [operation])).toEqual([undefined]);
    expect(calls).toEqual([]);
  });
});
