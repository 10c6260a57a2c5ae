import { ContactFieldValues } from '../../contact-sync/domain/contact-fields';

export const CONTACT_STATUSES = ['ACTIVE', 'ARCHIVED', 'GDPRREQUEST'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

/** A contact as the pull reads it from Xero: plain data, applied in the engine's transaction (not stored with its answer). */
export interface PulledContact {
  /** Lower-case, as stored. */
  xeroContactId: string;
  status: ContactStatus;
  fields: ContactFieldValues;
  contactNumber?: string;
  /** Set on a contact merged into another (the survivor). */
  mergedToContactId?: string;
  /** Xero's UpdatedDateUTC (ISO). */
  updatedAt?: string;
}

/** Xero's dates come back as Dates, ISO strings or its own `/Date(1700000000000+0000)/`. */
const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

export function instantOf(value: Date | string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  const ms = MS_DATE.exec(value.trim());
  const date = ms ? new Date(Number(ms[1])) : new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function statusOf(value: unknown): ContactStatus {
  const status = String(value ?? 'ACTIVE');
  return (CONTACT_STATUSES as readonly string[]).includes(status) ? (status as ContactStatus) : 'ACTIVE';
}

/**
 * What a pulled contact means compared with what was last synced: nothing (Ledgerline's own write read back, or a
 * repeat), a change of status, a merge into another contact, or changed fields.
 */
export interface PulledChange {
  statusChanged: boolean;
  merged: boolean;
  fieldsChanged: boolean;
}

export function pulledChange(
  previous: { status: ContactStatus; xeroFields: ContactFieldValues; mergedTo?: string | null } | undefined,
  pulled: PulledContact,
  same: (a: ContactFieldValues, b: ContactFieldValues) => boolean,
): PulledChange {
  if (!previous) return { statusChanged: pulled.status !== 'ACTIVE', merged: pulled.mergedToContactId !== undefined, fieldsChanged: true };
  return {
    statusChanged: previous.status !== pulled.status,
    merged: pulled.mergedToContactId !== undefined && pulled.mergedToContactId !== (previous.mergedTo ?? undefined),
    fieldsChanged: !same(previous.xeroFields, pulled.fields),
  };
}
