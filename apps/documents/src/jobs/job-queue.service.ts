import { Failure, JobAssignedPayload } from '@ledgerline/contracts';
import { OperationStore } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { projectDraft, projectStatusFor, tasksFromTemplate } from './domain/project-sync';
import { JobMappings } from './job-mappings.service';
import { JobRecords, JobRow, RequestOrigin } from './job-records.service';
import { AssignBody, ProjectSyncKind } from './project-sync.kind';

/**
 * Hands a job's changes to the operations engine (a project.sync operation each), and settles the jobs that waited
 * for their client's contact when it is synced or cannot be.
 */
@Injectable()
export class JobQueue {
  private readonly logger = new Logger(JobQueue.name);

  constructor(
    private readonly operations: OperationStore,
    private readonly kind: ProjectSyncKind,
    private readonly records: JobRecords,
    private readonly mappings: JobMappings,
  ) {}

  /**
   * The job as it stands becomes a project.sync with this contact, answering `answers`; or, when it can never reach
   * Xero as it stands (an estimate or template rate Xero cannot keep), each of them fails at once.
   */
  async enqueueAssign(tx: EntityManager, job: JobRow, contactId: string, answers: RequestOrigin[]): Promise<'pending' | 'failed'> {
    const request = job.request as unknown as JobAssignedPayload;
    const draft = projectDraft(request, contactId);
    const template = request.serviceType ? ((await this.mappings.template(tx, job.company_id, request.serviceType)) ?? []) : [];
    const tasks = tasksFromTemplate(template);
    const problems = [...(draft.ok ? [] : draft.problems), ...(tasks.ok ? [] : tasks.problems)];
    if (!draft.ok || !tasks.ok) {
      const failure: Failure = { code: 'INVALID_REQUEST', messages: problems };
      await this.records.setStatus(tx, job, job.xero_project_id ? 'synced' : 'failed', { waiting: [], contactId });
      await this.records.markFailed(tx, job.company_id, job.id, failure);
      await this.records.publishFailed(tx, job.company_id, job.job_id, answers, failure);
      return 'failed';
    }
    const body: AssignBody = {
      action: 'assign',
      jobId: job.job_id,
      project: draft.project,
      tasks: tasks.tasks,
      ...(request.assignee ? { assignee: request.assignee } : {}),
      ...(job.job_status ? { status: projectStatusFor(job.job_status as never) } : {}),
      answers,
    };
    await this.records.setStatus(tx, job, 'pending', { waiting: [], contactId });
    const latest = answers[answers.length - 1];
    await this.operations.record(tx, this.kind, { companyId: job.company_id, target: job.id, body, correlationId: latest.correlationId, causationId: latest.id });
    return 'pending';
  }

  async enqueueStatus(tx: EntityManager, job: JobRow, status: string, origin: RequestOrigin): Promise<void> {
    await this.records.setStatus(tx, job, 'pending', { jobStatus: status });
    await this.operations.record(tx, this.kind, {
      companyId: job.company_id,
      target: job.id,
      body: { action: 'status', jobId: job.job_id, status: projectStatusFor(status as never), answers: [origin] },
      correlationId: origin.correlationId,
      causationId: origin.id,
    });
  }

  /** contact.synced: every job of the client waiting for it goes to Xero, answering every request it waited with. */
  async resumeWaiting(tx: EntityManager, companyId: string, clientId: string, contactId: string): Promise<number> {
    const waiting = await this.records.lockWaiting(tx, companyId, clientId);
    for (const job of waiting) await this.enqueueAssign(tx, job, contactId, job.waiting_origins);
    if (waiting.length > 0) this.logger.log(`contact for ${companyId}/${clientId} synced: ${waiting.length} job(s) resumed`);
    return waiting.length;
  }

  /** The clients whose jobs wait for their contact (asked for again when the company connects). */
  async clientsWaiting(tx: EntityManager, companyId: string): Promise<string[]> {
    const rows: { client_id: string }[] = await tx.query(`SELECT DISTINCT "client_id" FROM ${Tables.jobs} WHERE "company_id" = $1 AND "status" = 'waiting_contact'`, [companyId]);
    return rows.map((r) => r.client_id);
  }

  /**
   * contact.sync_failed: the client's waiting jobs fail with the contact's reason. Without a usable connection they
   * keep waiting: the contact is asked for again once the company connects.
   */
  async failWaiting(tx: EntityManager, companyId: string, clientId: string, failure: Failure): Promise<number> {
    if (failure.code === 'NOT_CONNECTED') return 0;
    const waiting = await this.records.lockWaiting(tx, companyId, clientId);
    const contactFailure: Failure = { code: 'CONTACT_SYNC_FAILED', messages: [`The contact for client ${clientId} could not be synced (${failure.code})`, ...failure.messages] };
    for (const job of waiting) {
      await this.records.setStatus(tx, job, job.xero_project_id ? 'synced' : 'failed', { waiting: [] });
      await this.records.markFailed(tx, companyId, job.id, contactFailure);
      await this.records.publishFailed(tx, companyId, job.job_id, job.waiting_origins, contactFailure);
    }
    return waiting.length;
  }
}
