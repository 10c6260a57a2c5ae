import { JobStatus } from '@ledgerline/contracts';
import Decimal from 'decimal.js';
import { exactNumber } from '../../document-records/domain/document-lines';

export type ProjectStatus = 'INPROGRESS' | 'CLOSED';
export const CHARGE_TYPES = ['TIME', 'FIXED', 'NON_CHARGEABLE'] as const;
export type ChargeType = (typeof CHARGE_TYPES)[number];

/** What a job's status asks of its Xero project: in progress keeps it open, completed or cancelled closes it. */
export const PROJECT_STATUS_BY_JOB_STATUS: { readonly [S in JobStatus]: ProjectStatus } = {
  in_progress: 'INPROGRESS',
  completed: 'CLOSED',
  cancelled: 'CLOSED',
};

export const projectStatusFor = (status: JobStatus): ProjectStatus => PROJECT_STATUS_BY_JOB_STATUS[status];

/** One task of a company's service → task template, as kept over REST (rate a decimal string, in the project's currency). */
export interface TemplateTask {
  name: string;
  rate: string;
  chargeType: ChargeType;
  estimateMinutes?: number;
}

/** A task as the Projects API takes it (the currency is the project's, added when it is sent). */
export interface TaskDraft {
  name: string;
  rate: number;
  chargeType: ChargeType;
  estimateMinutes?: number;
}

/** The project fields Ledgerline keeps in step with the job. */
export interface ProjectDraft {
  contactId: string;
  name: string;
  /** ISO-8601 UTC, whole seconds. */
  deadlineUtc?: string;
  estimateAmount?: number;
}

/** A project as Xero holds it, read back before an update. */
export interface XeroProjectState {
  contactId?: string;
  name?: string;
  deadlineUtc?: string;
  estimateAmount?: number;
}

/** Xero's deadline form: ISO-8601 UTC without milliseconds. */
export function utcDeadline(value: string | Date | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The project a job asks for. The estimate is a decimal string in the job and a number for Xero: it must be the
 * same decimal exactly (and Xero keeps 2 places), otherwise the job cannot be synced as it stands.
 */
export function projectDraft(
  job: { name: string; deadline?: string; estimateAmount?: string },
  contactId: string,
): { ok: true; project: ProjectDraft } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  let estimateAmount: number | undefined;
  if (job.estimateAmount !== undefined) {
    estimateAmount = exactNumber(job.estimateAmount, 'estimateAmount', problems);
    if (problems.length === 0 && estimateAmount < 0) problems.push('estimateAmount must not be negative');
    if (problems.length === 0 && new Decimal(job.estimateAmount).decimalPlaces() > 2) problems.push('estimateAmount must have at most 2 decimal places (Xero keeps 2)');
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, project: { contactId, name: job.name, ...(job.deadline ? { deadlineUtc: utcDeadline(job.deadline) } : {}), ...(estimateAmount === undefined ? {} : { estimateAmount }) } };
}

/** A template's tasks as the Projects API takes them; a rate that is not an exact 2-place decimal is a problem. */
export function tasksFromTemplate(template: readonly TemplateTask[]): { ok: true; tasks: TaskDraft[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const tasks = template.map((task, i) => {
    const rate = exactNumber(task.rate, `tasks[${i}].rate`, problems);
    if (new Decimal(task.rate).decimalPlaces() > 2) problems.push(`tasks[${i}].rate: ${task.rate} has more than 2 decimal places (Xero keeps 2)`);
    return { name: task.name, rate, chargeType: task.chargeType, ...(task.estimateMinutes === undefined ? {} : { estimateMinutes: task.estimateMinutes }) };
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, tasks };
}

/** What a template must satisfy beyond its DTO's shape: task names unique (a project's tasks are matched by name). */
export function templateProblems(template: readonly TemplateTask[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  template.forEach((task, i) => {
    const key = task.name.trim().toLowerCase();
    if (seen.has(key)) problems.push(`tasks[${i}].name: "${task.name}" appears more than once (a project's tasks are told apart by name)`);
    seen.add(key);
  });
  const converted = tasksFromTemplate(template);
  if (!converted.ok) problems.push(...converted.problems);
  return problems;
}

/**
 * The update a project needs to match the job, or null when it already does. Xero's PUT replaces the contact, name,
 * deadline and estimate together, so the whole draft is sent when any of them differs.
 */
export function projectUpdate(current: XeroProjectState, wanted: ProjectDraft): ProjectDraft | null {
  const differs =
    (current.contactId ?? '').toLowerCase() !== wanted.contactId.toLowerCase() ||
    current.name !== wanted.name ||
    (wanted.deadlineUtc !== undefined && utcDeadline(current.deadlineUtc) !== wanted.deadlineUtc) ||
    (wanted.estimateAmount !== undefined && current.estimateAmount !== wanted.estimateAmount);
  return differs ? wanted : null;
}

/** The tasks the project lacks, told apart by name (case and surrounding spaces aside); existing tasks are left as they are. */
export function missingTasks(existingNames: readonly string[], wanted: readonly TaskDraft[]): TaskDraft[] {
  const have = new Set(existingNames.map((n) => n.trim().toLowerCase()));
  return wanted.filter((task) => !have.has(task.name.trim().toLowerCase()));
}

export interface ProjectsUser {
  userId: string;
  name?: string;
  email?: string;
}

/** The projects user whose email is the assignee's (case-insensitive); none when no one, or more than one, has it. */
export function matchAssignee(users: readonly ProjectsUser[], assignee: string): ProjectsUser | undefined {
  const email = assignee.trim().toLowerCase();
  const matches = users.filter((u) => (u.email ?? '').trim().toLowerCase() === email);
  return matches.length === 1 ? matches[0] : undefined;
}
