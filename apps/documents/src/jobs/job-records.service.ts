import { causedBy, Failure, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { queryRows } from '@ledgerline/platform';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { ProjectStatus } from './domain/project-sync';

export type JobSyncStatus = 'waiting_contact' | 'waiting_connection' | 'pending' | 'synced' | 'failed';
export const JOB_SYNC_STATUSES: readonly JobSyncStatus[] = ['waiting_contact', 'waiting_connection', 'pending', 'synced', 'failed'];

/** A request (job.assigned or job.status_changed) whose outcome is still owed: its event id and correlation. */
export interface RequestOrigin {
  id: string;
  correlationId: string;
}

export interface JobRow {
  id: string;
  company_id: string;
  job_id: string;
  client_id: string;
  request: Record<string, unknown>;
  job_status: string | null;
  status: JobSyncStatus;
  waiting_origins: RequestOrigin[];
  xero_project_id: string | null;
  xero_status: string | null;
  xero_contact_id: string | null;
  xero_user_id: string | null;
  unmapped_assignee: string | null;
  last_error: (Failure & { at?: string }) | null;
  correlation_id: string;
  causation_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface ProjectSynced {
  xeroProjectId: string;
  status: ProjectStatus;
  xeroUserId?: string;
  unmappedAssignee?: string;
}

/** The jobs table (every statement scoped to the company) and the job outcome events. */
@Injectable()
export class JobRecords {
  constructor(private readonly publisher: EventPublisher) {}

  async lockByJobId(tx: EntityManager, companyId: string, jobId: string): Promise<JobRow | undefined> {
    const rows: JobRow[] = await tx.query(`SELECT * FROM ${Tables.jobs} WHERE "company_id" = $1 AND "job_id" = $2 FOR UPDATE`, [companyId, jobId]);
    return rows[0];
  }

  async lock(tx: EntityManager, companyId: string, id: string): Promise<JobRow | undefined> {
    const rows: JobRow[] = await tx.query(`SELECT * FROM ${Tables.jobs} WHERE "company_id" = $1 AND "id" = $2 FOR UPDATE`, [companyId, id]);
    return rows[0];
  }

  /** The Xero project a job holds, read with no transaction open (the project sync kind reads it before calling Xero). */
  async projectOf(tx: EntityManager, companyId: string, id: string): Promise<string | null> {
    const rows: { xero_project_id: string | null }[] = await tx.query(`SELECT "xero_project_id" FROM ${Tables.jobs} WHERE "company_id" = $1 AND "id" = $2`, [companyId, id]);
    return rows[0]?.xero_project_id ?? null;
  }

  /** Which of these Xero projects a job of the company already holds (a look-up must not claim those). */
  async heldProjects(tx: EntityManager, companyId: string, projectIds: string[]): Promise<Set<string>> {
    if (projectIds.length === 0) return new Set();
    const rows: { xero_project_id: string }[] = await tx.query(
      `SELECT "xero_project_id" FROM ${Tables.jobs} WHERE "company_id" = $1 AND "xero_project_id" = ANY($2::uuid[])`,
      [companyId, projectIds],
    );
    return new Set(rows.map((r) => r.xero_project_id.toLowerCase()));
  }

  async insert(tx: EntityManager, row: Pick<JobRow, 'id' | 'company_id' | 'job_id' | 'client_id' | 'request' | 'status' | 'waiting_origins' | 'correlation_id' | 'causation_id'>): Promise<void> {
    await tx.query(
      `INSERT INTO ${Tables.jobs} ("id", "company_id", "job_id", "client_id", "request", "status", "waiting_origins", "correlation_id", "causation_id")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [row.id, row.company_id, row.job_id, row.client_id, JSON.stringify(row.request), row.status, JSON.stringify(row.waiting_origins), row.correlation_id, row.causation_id],
    );
  }

  /** A later job.assigned: the job as it now stands. */
  async reassign(tx: EntityManager, job: JobRow, request: Record<string, unknown>, status: JobSyncStatus, waiting: RequestOrigin[], origin: RequestOrigin): Promise<void> {
    await tx.query(
      `UPDATE ${Tables.jobs} SET "client_id" = $3, "request" = $4, "status" = $5, "waiting_origins" = $6, "correlation_id" = $7, "causation_id" = $8, "updated_at" = now()
       WHERE "company_id" = $1 AND "id" = $2`,
      [job.company_id, job.id, request['clientId'], JSON.stringify(request), status, JSON.stringify(waiting), origin.correlationId, origin.id],
    );
  }

  async setStatus(tx: EntityManager, job: Pick<JobRow, 'company_id' | 'id'>, status: JobSyncStatus, extra: { jobStatus?: string; waiting?: RequestOrigin[]; contactId?: string } = {}): Promise<void> {
    await tx.query(
      `UPDATE ${Tables.jobs} SET "status" = $3, "job_status" = COALESCE($4, "job_status"), "waiting_origins" = COALESCE($5::jsonb, "waiting_origins"),
         "xero_contact_id" = COALESCE($6::uuid, "xero_contact_id"), "updated_at" = now()
       WHERE "company_id" = $1 AND "id" = $2`,
      [job.company_id, job.id, status, extra.jobStatus ?? null, extra.waiting === undefined ? null : JSON.stringify(extra.waiting), extra.contactId ?? null],
    );
  }

  /** Jobs of this client waiting for its contact, locked. */
  async lockWaiting(tx: EntityManager, companyId: string, clientId: string): Promise<JobRow[]> {
    return tx.query(`SELECT * FROM ${Tables.jobs} WHERE "company_id" = $1 AND "client_id" = $2 AND "status" = 'waiting_contact' ORDER BY "created_at" FOR UPDATE`, [companyId, clientId]);
  }

  async markSynced(tx: EntityManager, companyId: string, id: string, result: ProjectSynced): Promise<boolean> {
    const rows = await queryRows(
      tx,
      `UPDATE ${Tables.jobs} SET "status" = CASE WHEN "status" = 'waiting_contact' THEN "status" ELSE 'synced' END,
         "xero_project_id" = $3, "xero_status" = $4, "xero_user_id" = $5, "unmapped_assignee" = $6, "last_error" = NULL, "updated_at" = now()
       WHERE "company_id" = $1 AND "id" = $2 RETURNING "id"`,
      [companyId, id, result.xeroProjectId, result.status, result.xeroUserId ?? null, result.unmappedAssignee ?? null],
    );
    return rows.length > 0;
  }

  async markFailed(tx: EntityManager, companyId: string, id: string, failure: Failure): Promise<void> {
    await tx.query(
      `UPDATE ${Tables.jobs} SET "status" = CASE WHEN "status" = 'waiting_contact' THEN "status" ELSE 'failed' END, "last_error" = $3, "updated_at" = now()
       WHERE "company_id" = $1 AND "id" = $2`,
      [companyId, id, JSON.stringify({ ...failure, at: new Date().toISOString() })],
    );
  }

  /** A transient failure or a missing connection: shown on the job while it waits to be resent. */
  async noteProblem(tx: EntityManager, companyId: string, id: string, failure: Failure, status?: JobSyncStatus): Promise<void> {
    await tx.query(
      `UPDATE ${Tables.jobs} SET "last_error" = $3, "status" = COALESCE($4, "status"), "updated_at" = now() WHERE "company_id" = $1 AND "id" = $2`,
      [companyId, id, JSON.stringify({ ...failure, at: new Date().toISOString() }), status ?? null],
    );
  }

  async publishSynced(tx: EntityManager, companyId: string, jobId: string, origins: RequestOrigin[], result: ProjectSynced): Promise<void> {
    const payload = {
      jobId,
      xeroProjectId: result.xeroProjectId,
      status: result.status,
      ...(result.xeroUserId ? { xeroUserId: result.xeroUserId } : {}),
      ...(result.unmappedAssignee ? { unmappedAssignee: result.unmappedAssignee } : {}),
    };
    for (const origin of origins) await this.publisher.publish(tx, Topics.JobSynced, companyId, payload, causedBy(origin));
  }

  async publishFailed(tx: EntityManager, companyId: string, jobId: string, origins: RequestOrigin[], failure: Failure): Promise<void> {
    for (const origin of origins) await this.publisher.publish(tx, Topics.JobSyncFailed, companyId, { jobId, failure }, causedBy(origin));
  }
}
