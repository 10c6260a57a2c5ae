import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tables } from '../database/tables';
import { templateProblems } from './domain/project-sync';
import { assigneeKey, JobMappings } from './job-mappings.service';
import { JobRow } from './job-records.service';
import { JobDetailView, JobPage, JobView, ListJobsQuery, SERVICE_TYPE_PATTERN, ServiceTemplateView, StaffMappingView, TemplateTaskDto } from './jobs-api.dto';
import { JobsErrorCode, JobsException } from './jobs.exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function jobView(row: JobRow): JobView {
  const request = row.request;
  return {
    id: row.id,
    jobId: row.job_id,
    clientId: row.client_id,
    name: String(request['name']),
    ...(typeof request['serviceType'] === 'string' ? { serviceType: request['serviceType'] } : {}),
    ...(typeof request['assignee'] === 'string' ? { assignee: request['assignee'] } : {}),
    jobStatus: row.job_status,
    status: row.status,
    xero: { projectId: row.xero_project_id, status: row.xero_status, contactId: row.xero_contact_id, userId: row.xero_user_id },
    unmappedAssignee: row.unmapped_assignee,
    lastError: row.last_error,
    correlationId: row.correlation_id,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** The jobs REST API: jobs listed and shown, and the company's mappings kept. Every call is scoped to one company. */
@Injectable()
export class JobsApi {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mappings: JobMappings,
  ) {}

  async list(companyId: string, query: ListJobsQuery): Promise<JobPage> {
    const params: unknown[] = [companyId];
    let where = `"company_id" = $1`;
    if (query.status) {
      params.push(query.status);
      where += ` AND "status" = $2`;
    }
    const [{ total }]: { total: number }[] = await this.dataSource.query(`SELECT count(*)::int AS "total" FROM ${Tables.jobs} WHERE ${where}`, params);
    const rows: JobRow[] = await this.dataSource.query(
      `SELECT * FROM ${Tables.jobs} WHERE ${where} ORDER BY "created_at" DESC, "id" LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
      params,
    );
    return { items: rows.map(jobView), page: query.page, pageSize: query.pageSize, total };
  }

  async get(companyId: string, id: string): Promise<JobDetailView> {
    if (!UUID.test(id)) throw JobsException.notFound();
    const rows: JobRow[] = await this.dataSource.query(`SELECT * FROM ${Tables.jobs} WHERE "company_id" = $1 AND "id" = $2`, [companyId, id]);
    if (!rows[0]) throw JobsException.notFound();
    return { ...jobView(rows[0]), request: rows[0].request };
  }

  templates(companyId: string): Promise<ServiceTemplateView[]> {
    return this.mappings.templates(companyId);
  }

  async saveTemplate(companyId: string, serviceType: string, tasks: TemplateTaskDto[], userId: string): Promise<ServiceTemplateView> {
    const problems = SERVICE_TYPE_PATTERN.test(serviceType) ? [] : ['serviceType must be 1-100 characters of letters, digits, spaces and . _ : / -'];
    const plain = tasks.map((t) => ({ name: t.name.trim(), rate: t.rate, chargeType: t.chargeType, ...(t.estimateMinutes === undefined ? {} : { estimateMinutes: t.estimateMinutes }) }));
    problems.push(...templateProblems(plain));
    if (problems.length > 0) throw new JobsException(JobsErrorCode.InvalidMapping, 'The task template is invalid', problems);
    return this.mappings.saveTemplate(companyId, serviceType, plain, userId);
  }

  staff(companyId: string): Promise<StaffMappingView[]> {
    return this.mappings.staff(companyId);
  }

  async saveStaff(companyId: string, assignee: string, xeroUserId: string, xeroUserName: string | undefined, userId: string): Promise<StaffMappingView> {
    if (!EMAIL.test(assigneeKey(assignee)) || assignee.length > 255) {
      throw new JobsException(JobsErrorCode.InvalidMapping, 'The staff mapping is invalid', ['assignee must be the assignee’s email address (at most 255 characters)']);
    }
    return this.mappings.saveStaff(companyId, assignee, xeroUserId.toLowerCase(), xeroUserName, userId);
  }
}
