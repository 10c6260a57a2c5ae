import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { TemplateTask } from './domain/project-sync';

export interface ServiceTemplateView {
  serviceType: string;
  tasks: TemplateTask[];
  updatedBy: string | null;
  updatedAt: string;
}

export interface StaffMappingView {
  assignee: string;
  xeroUserId: string;
  xeroUserName: string | null;
  /** `matched`: found by email in Xero's projects users; `manual`: set over REST (a match never replaces it). */
  source: 'matched' | 'manual';
  updatedBy: string | null;
  updatedAt: string;
}

/** Assignees are email addresses, compared without case. */
export const assigneeKey = (assignee: string): string => assignee.trim().toLowerCase();

/** A company's service → task templates and assignee → Xero projects user mappings; every statement is scoped to the company. */
@Injectable()
export class JobMappings {
  constructor(private readonly dataSource: DataSource) {}

  async template(tx: EntityManager, companyId: string, serviceType: string): Promise<TemplateTask[] | undefined> {
    const rows: { tasks: TemplateTask[] }[] = await tx.query(`SELECT "tasks" FROM ${Tables.serviceTaskTemplates} WHERE "company_id" = $1 AND "service_type" = $2`, [companyId, serviceType]);
    return rows[0]?.tasks;
  }

  async templates(companyId: string): Promise<ServiceTemplateView[]> {
    const rows: { service_type: string; tasks: TemplateTask[]; updated_by: string | null; updated_at: Date }[] = await this.dataSource.query(
      `SELECT "service_type", "tasks", "updated_by", "updated_at" FROM ${Tables.serviceTaskTemplates} WHERE "company_id" = $1 ORDER BY "service_type"`,
      [companyId],
    );
    return rows.map((r) => ({ serviceType: r.service_type, tasks: r.tasks, updatedBy: r.updated_by, updatedAt: new Date(r.updated_at).toISOString() }));
  }

  async saveTemplate(companyId: string, serviceType: string, tasks: TemplateTask[], updatedBy: string): Promise<ServiceTemplateView> {
    await this.dataSource.query(
      `INSERT INTO ${Tables.serviceTaskTemplates} ("company_id", "service_type", "tasks", "updated_by", "updated_at") VALUES ($1, $2, $3, $4, now())
       ON CONFLICT ("company_id", "service_type") DO UPDATE SET "tasks" = EXCLUDED."tasks", "updated_by" = EXCLUDED."updated_by", "updated_at" = now()`,
      [companyId, serviceType, JSON.stringify(tasks), updatedBy],
    );
    return (await this.templates(companyId)).find((t) => t.serviceType === serviceType) as ServiceTemplateView;
  }

  async staffUser(tx: EntityManager, companyId: string, assignee: string): Promise<{ xeroUserId: string; source: string } | undefined> {
    const rows: { xero_user_id: string; source: string }[] = await tx.query(
      `SELECT "xero_user_id", "source" FROM ${Tables.staffMappings} WHERE "company_id" = $1 AND "assignee" = $2`,
      [companyId, assigneeKey(assignee)],
    );
    return rows[0] ? { xeroUserId: rows[0].xero_user_id, source: rows[0].source } : undefined;
  }

  async staff(companyId: string): Promise<StaffMappingView[]> {
    const rows: { assignee: string; xero_user_id: string; xero_user_name: string | null; source: 'matched' | 'manual'; updated_by: string | null; updated_at: Date }[] = await this.dataSource.query(
      `SELECT "assignee", "xero_user_id", "xero_user_name", "source", "updated_by", "updated_at" FROM ${Tables.staffMappings} WHERE "company_id" = $1 ORDER BY "assignee"`,
      [companyId],
    );
    return rows.map((r) => ({ assignee: r.assignee, xeroUserId: r.xero_user_id, xeroUserName: r.xero_user_name, source: r.source, updatedBy: r.updated_by, updatedAt: new Date(r.updated_at).toISOString() }));
  }

  /** Set over REST: this assignee is this projects user, whatever Xero's emails say. */
  async saveStaff(companyId: string, assignee: string, xeroUserId: string, xeroUserName: string | undefined, updatedBy: string): Promise<StaffMappingView> {
    await this.dataSource.query(
      `INSERT INTO ${Tables.staffMappings} ("company_id", "assignee", "xero_user_id", "xero_user_name", "source", "updated_by", "updated_at") VALUES ($1, $2, $3, $4, 'manual', $5, now())
       ON CONFLICT ("company_id", "assignee") DO UPDATE SET "xero_user_id" = EXCLUDED."xero_user_id", "xero_user_name" = EXCLUDED."xero_user_name", "source" = 'manual',
         "updated_by" = EXCLUDED."updated_by", "updated_at" = now()`,
      [companyId, assigneeKey(assignee), xeroUserId, xeroUserName ?? null, updatedBy],
    );
    return (await this.staff(companyId)).find((s) => s.assignee === assigneeKey(assignee)) as StaffMappingView;
  }

  /** A match found by email in Xero's projects users is remembered; it never replaces a mapping set by hand. */
  async rememberMatch(tx: EntityManager, companyId: string, assignee: string, xeroUserId: string, xeroUserName: string | undefined): Promise<void> {
    await tx.query(
      `INSERT INTO ${Tables.staffMappings} AS m ("company_id", "assignee", "xero_user_id", "xero_user_name", "source", "updated_at") VALUES ($1, $2, $3, $4, 'matched', now())
       ON CONFLICT ("company_id", "assignee") DO UPDATE SET "xero_user_id" = EXCLUDED."xero_user_id", "xero_user_name" = EXCLUDED."xero_user_name", "updated_at" = now()
       WHERE m."source" = 'matched'`,
      [companyId, assigneeKey(assignee), xeroUserId, xeroUserName ?? null],
    );
  }
}
