import { Failure } from '@ledgerline/contracts';
import { idempotencyKey, XeroClientService } from '@ledgerline/xero-client';
import { Project } from 'xero-node/dist/gen/model/projects/project';
import { ChargeType } from 'xero-node/dist/gen/model/projects/chargeType';
import { ElementAnswer, Operation, OperationKind } from '@ledgerline/xero-operations';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { matchAssignee, missingTasks, ProjectDraft, ProjectStatus, projectUpdate, TaskDraft } from './domain/project-sync';
import { JobMappings } from './job-mappings.service';
import { JobRecords, ProjectSynced, RequestOrigin } from './job-records.service';

/** Bring the job's project in step with a job.assigned: create or update it, add missing tasks, set its status. */
export interface AssignBody {
  action: 'assign';
  jobId: string;
  project: ProjectDraft;
  tasks: TaskDraft[];
  assignee?: string;
  /** The status a job.status_changed asked for before the project existed. */
  status?: ProjectStatus;
  /** The requests this operation answers (a job waiting for its contact may have had several). */
  answers: RequestOrigin[];
}

/** A job.status_changed: the project opened or closed. */
export interface StatusBody {
  action: 'status';
  jobId: string;
  status: ProjectStatus;
  answers: RequestOrigin[];
}

export type ProjectSyncBody = AssignBody | StatusBody;

export interface ProjectSyncResult extends ProjectSynced {
  /** A projects user found by the assignee's email in Xero (remembered as the assignee's mapping). */
  matched?: { assignee: string; userId: string; name?: string };
}

/**
 * One job's Xero project, one call sequence at a time (the Projects API has no batch). The engine sends a job's
 * operations in the order they were recorded, so an update or a status change finds the project its creation made.
 * Each write carries a key derived from the operation's, so a resend replays what Xero already did.
 */
@Injectable()
export class ProjectSyncKind implements OperationKind<ProjectSyncBody, ProjectSyncResult> {
  readonly name = 'project.sync';
  readonly batchSize = 1;

  constructor(
    private readonly xero: XeroClientService,
    private readonly dataSource: DataSource,
    private readonly records: JobRecords,
    private readonly mappings: JobMappings,
  ) {}

  async send(companyId: string, [operation]: Operation<ProjectSyncBody>[], key: string): Promise<ElementAnswer<ProjectSyncResult>[]> {
    const body = operation.body;
    const known = await this.records.projectOf(this.dataSource.manager, companyId, operation.target);
    if (body.action === 'status') {
      if (!known) return [{ ok: false, failure: noProject(body.jobId) }];
      await this.xero.updateProjectStatus(companyId, known, body.status, { idempotencyKey: key });
      return [{ ok: true, result: { xeroProjectId: known, status: body.status, ...(await this.assigneeOf(companyId, operation.target)) } }];
    }
    if (known) return [{ ok: true, result: await this.bringInStep(companyId, known, body, key, false) }];
    const created = await this.xero.createProject(companyId, toXeroProject(body.project), { idempotencyKey: key });
    if (!created.projectId) return [{ ok: false, failure: { code: 'XERO_INCOMPLETE_RESPONSE', messages: ['Xero created the project without a projectId'] } }];
    return [{ ok: true, result: await this.bringInStep(companyId, created.projectId, body, key, created) }];
  }

  /**
   * After a send whose answer may have been lost past the key's window: a project of the job's contact with its
   * name that no other job holds is the one that send made; the rest of the sequence (update, tasks, status) is
   * then done on it. Undefined when there is none (the creation is sent again).
   */
  async lookUp(companyId: string, [operation]: Operation<ProjectSyncBody>[]): Promise<(ProjectSyncResult | undefined)[]> {
    const body = operation.body;
    if (body.action !== 'assign' || (await this.records.projectOf(this.dataSource.manager, companyId, operation.target))) return [undefined];
    const candidates: string[] = [];
    for (let page = 1; ; page++) {
      const found = await this.xero.listProjects(companyId, { contactId: body.project.contactId, page, pageSize: 500 });
      for (const project of found.items) if (project.projectId && project.name === body.project.name) candidates.push(project.projectId.toLowerCase());
      if (!found.hasMore) break;
    }
    const held = await this.records.heldProjects(this.dataSource.manager, companyId, candidates);
    const match = candidates.find((id) => !held.has(id));
    if (!match) return [undefined];
    return [await this.bringInStep(companyId, match, body, idempotencyKey(operation.id, 'look-up', Date.now()), false)];
  }

  async succeeded(tx: EntityManager, operation: Operation<ProjectSyncBody>, result: ProjectSyncResult): Promise<void> {
    if (result.matched) await this.mappings.rememberMatch(tx, operation.companyId, result.matched.assignee, result.matched.userId, result.matched.name);
    const synced: ProjectSynced = { xeroProjectId: result.xeroProjectId, status: result.status, xeroUserId: result.xeroUserId, unmappedAssignee: result.unmappedAssignee };
    if (!(await this.records.markSynced(tx, operation.companyId, operation.target, synced))) return;
    await this.records.publishSynced(tx, operation.companyId, operation.body.jobId, operation.body.answers, synced);
  }

  async failed(tx: EntityManager, operation: Operation<ProjectSyncBody>, failure: Failure): Promise<void> {
    await this.records.markFailed(tx, operation.companyId, operation.target, failure);
    await this.records.publishFailed(tx, operation.companyId, operation.body.jobId, operation.body.answers, failure);
  }

  async retrying(tx: EntityManager, operation: Operation<ProjectSyncBody>, failure: Failure): Promise<void> {
    await this.records.noteProblem(tx, operation.companyId, operation.target, failure);
  }

  async waiting(tx: EntityManager, operation: Operation<ProjectSyncBody>, failure: Failure): Promise<void> {
    await this.records.noteProblem(tx, operation.companyId, operation.target, failure, 'waiting_connection');
  }

  xeroIdOf(result: ProjectSyncResult): string {
    return result.xeroProjectId;
  }

  /** The project as the job asks: fields updated when they differ, missing tasks added, the status set. */
  private async bringInStep(companyId: string, projectId: string, body: AssignBody, key: string, created: Project | false): Promise<ProjectSyncResult> {
    const current = created || (await this.xero.getProject(companyId, projectId));
    let status: ProjectStatus = String(current.status) === 'CLOSED' ? 'CLOSED' : 'INPROGRESS';
    if (!created) {
      const update = projectUpdate(
        { contactId: current.contactId, name: current.name, deadlineUtc: current.deadlineUtc ? new Date(current.deadlineUtc).toISOString() : undefined, estimateAmount: current.estimate?.value ?? current.estimateAmount?.value },
        body.project,
      );
      if (update) await this.xero.updateProject(companyId, projectId, toXeroProject(update), { idempotencyKey: idempotencyKey(key, 'update') });
    }
    if (body.tasks.length > 0) {
      const existing = created ? [] : await this.xero.listProjectTasks(companyId, projectId);
      for (const task of missingTasks(existing.map((t) => t.name ?? ''), body.tasks)) {
        await this.xero.createProjectTask(
          companyId,
          projectId,
          { name: task.name, rate: { currency: current.currencyCode, value: task.rate }, chargeType: task.chargeType as unknown as ChargeType, ...(task.estimateMinutes === undefined ? {} : { estimateMinutes: task.estimateMinutes }) },
          { idempotencyKey: idempotencyKey(key, 'task', task.name.trim().toLowerCase()) },
        );
      }
    }
    if (body.status && body.status !== status) {
      await this.xero.updateProjectStatus(companyId, projectId, body.status, { idempotencyKey: idempotencyKey(key, 'status') });
      status = body.status;
    }
    return { xeroProjectId: projectId, status, ...(await this.resolveAssignee(companyId, body.assignee)) };
  }

  /** The assignee's projects user: the company's mapping, else the one user Xero has with that email; else unmapped. */
  private async resolveAssignee(companyId: string, assignee: string | undefined): Promise<Pick<ProjectSyncResult, 'xeroUserId' | 'unmappedAssignee' | 'matched'>> {
    if (!assignee) return {};
    const mapped = await this.mappings.staffUser(this.dataSource.manager, companyId, assignee);
    if (mapped?.source === 'manual') return { xeroUserId: mapped.xeroUserId };
    const users = await this.xero.listProjectUsers(companyId);
    const user = matchAssignee(
      users.filter((u) => u.userId).map((u) => ({ userId: u.userId as string, name: u.name, email: u.email })),
      assignee,
    );
    if (!user) return { unmappedAssignee: assignee };
    return { xeroUserId: user.userId, matched: { assignee, userId: user.userId, name: user.name } };
  }

  /** A status change reports the assignee as the job's last sync found it. */
  private async assigneeOf(companyId: string, id: string): Promise<Pick<ProjectSyncResult, 'xeroUserId' | 'unmappedAssignee'>> {
    const rows: { xero_user_id: string | null; unmapped_assignee: string | null }[] = await this.dataSource.query(
      `SELECT "xero_user_id", "unmapped_assignee" FROM ${Tables.jobs} WHERE "company_id" = $1 AND "id" = $2`,
      [companyId, id],
    );
    const row = rows[0];
    return { ...(row?.xero_user_id ? { xeroUserId: row.xero_user_id } : {}), ...(row?.unmapped_assignee ? { unmappedAssignee: row.unmapped_assignee } : {}) };
  }
}

function noProject(jobId: string): Failure {
  return { code: 'INVALID_REQUEST', messages: [`job ${jobId} has no Xero project: its assignment never reached Xero`] };
}

function toXeroProject(project: ProjectDraft): { contactId: string; name: string; deadlineUtc?: Date; estimateAmount?: number } {
  return {
    contactId: project.contactId,
    name: project.name,
    ...(project.deadlineUtc ? { deadlineUtc: new Date(project.deadlineUtc) } : {}),
    ...(project.estimateAmount === undefined ? {} : { estimateAmount: project.estimateAmount }),
  };
}

