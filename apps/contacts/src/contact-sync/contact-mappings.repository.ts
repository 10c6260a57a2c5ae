import { Injectable } from '@nestjs/common';
import { EntityManager, In, Not } from 'typeorm';
import { ContactLink, ContactMappingEntity } from './entities/contact-mapping.entity';
import { MappingFilter } from './mappings-query.dto';

/** One row of the mappings list: a link, or a Xero contact no client is linked to (no client, no link fields). */
export interface MappingListItem {
  clientId: string | null;
  xeroContactId: string;
  contactName: string;
  linkedBy: ContactLink | null;
  linkedAt: string | null;
  lastWrittenAt: string | null;
  status: string;
  conflicted: boolean;
}

/** Client → Xero contact links. Every query is scoped by company: one client id may be a different contact elsewhere. */
@Injectable()
export class ContactMappingsRepository {
  find(tx: EntityManager, companyId: string, clientId: string): Promise<ContactMappingEntity | null> {
    return tx.findOneBy(ContactMappingEntity, { companyId, clientId });
  }

  /**
   * One page of a company's links (by client id), or of the Xero contacts it has seen: unlinked ones, archived ones
   * (linked or not), or links with a conflict waiting for a person.
   */
  async listForCompany(db: EntityManager, companyId: string, query: { clientId?: string; filter?: MappingFilter; page: number; pageSize: number }): Promise<{ items: MappingListItem[]; total: number }> {
    const filter = query.filter ?? 'linked';
    const params: unknown[] = [companyId];
    const client = query.clientId === undefined || filter === 'unlinked' ? '' : ` AND m."client_id" = $${params.push(query.clientId)}`;
    const openConflict = `EXISTS (SELECT 1 FROM "contacts"."contact_conflicts" c WHERE c."company_id" = m."company_id" AND c."client_id" = m."client_id" AND c."status" = 'open')`;
    const fromLinks = `FROM "contacts"."contact_mappings" m LEFT JOIN "contacts"."contact_snapshots" s ON s."company_id" = m."company_id" AND s."xero_contact_id" = m."xero_contact_id"`;
    const fromContacts = `FROM "contacts"."contact_snapshots" s LEFT JOIN "contacts"."contact_mappings" m ON m."company_id" = s."company_id" AND m."xero_contact_id" = s."xero_contact_id"`;
    const shape = {
      linked: { from: fromLinks, where: `m."company_id" = $1${client}`, order: `m."client_id"` },
      conflicted: { from: fromLinks, where: `m."company_id" = $1${client} AND ${openConflict}`, order: `m."client_id"` },
      unlinked: { from: fromContacts, where: `s."company_id" = $1 AND m."client_id" IS NULL`, order: `s."xero_fields"->>'name', s."xero_contact_id"` },
      archived: { from: fromContacts, where: `s."company_id" = $1 AND s."status" = 'ARCHIVED'${client}`, order: `s."xero_fields"->>'name', s."xero_contact_id"` },
    }[filter];
    const [{ total }]: { total: number }[] = await db.query(`SELECT count(*)::int AS "total" ${shape.from} WHERE ${shape.where}`, params);
    const rows: {
      client_id: string | null;
      xero_contact_id: string;
      contact_name: string | null;
      linked_by: ContactLink | null;
      created_at: Date | null;
      last_written_at: Date | null;
      status: string | null;
      snapshot_name: string | null;
      conflicted: boolean;
    }[] = await db.query(
      `SELECT m."client_id", COALESCE(m."xero_contact_id", s."xero_contact_id") AS "xero_contact_id", m."contact_name", m."linked_by", m."created_at", m."last_written_at",
              s."status", s."xero_fields"->>'name' AS "snapshot_name", (m."client_id" IS NOT NULL AND ${openConflict}) AS "conflicted"
       ${shape.from} WHERE ${shape.where} ORDER BY ${shape.order} LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
      params,
    );
    return {
      total,
      items: rows.map((r) => ({
        clientId: r.client_id,
        xeroContactId: r.xero_contact_id,
        contactName: r.contact_name ?? r.snapshot_name ?? '',
        linkedBy: r.linked_by,
        linkedAt: r.created_at?.toISOString() ?? null,
        lastWrittenAt: r.last_written_at?.toISOString() ?? null,
        status: r.status ?? 'ACTIVE',
        conflicted: r.conflicted,
      })),
    };
  }

  /**
   * The links of these Xero contacts (lower-case ids), by contact. The ids travel as one JSON text: a page of the
   * pull asks for 1,000, which as an IN list would be 1,000 parameters built and escaped on every page.
   */
  async byContactIds(tx: EntityManager, companyId: string, xeroContactIds: string[]): Promise<Map<string, ContactMappingEntity>> {
    if (xeroContactIds.length === 0) return new Map();
    const rows = await tx
      .createQueryBuilder(ContactMappingEntity, 'm')
      .where('m.companyId = :companyId', { companyId })
      .andWhere('m.xeroContactId = ANY(ARRAY(SELECT jsonb_array_elements_text(CAST(:ids AS jsonb)))::uuid[])', { ids: JSON.stringify(xeroContactIds) })
      .getMany();
    return new Map(rows.map((row) => [row.xeroContactId.toLowerCase(), row]));
  }

  /** A merge in Xero: the client's link moves to the surviving contact, and its next sync writes it in full. */
  async moveTo(tx: EntityManager, companyId: string, clientId: string, xeroContactId: string, contactName: string): Promise<void> {
    await tx.update(ContactMappingEntity, { companyId, clientId }, { xeroContactId, contactName, contentHash: '0'.repeat(64) });
  }

  /** The next sync of this client writes again whatever differs (a person chose Ledgerline's values). */
  async forgetWrittenHash(tx: EntityManager, companyId: string, clientId: string): Promise<void> {
    await tx.update(ContactMappingEntity, { companyId, clientId }, { contentHash: '0'.repeat(64) });
  }

  /** Which of these Xero contacts are already linked to another of the company's clients (lower-case ids). */
  async linkedToOtherClients(tx: EntityManager, companyId: string, clientId: string, xeroContactIds: string[]): Promise<Set<string>> {
    if (xeroContactIds.length === 0) return new Set();
    const rows = await tx.find(ContactMappingEntity, {
      select: { xeroContactId: true },
      where: { companyId, clientId: Not(clientId), xeroContactId: In(xeroContactIds.map((id) => id.toLowerCase())) },
    });
    return new Set(rows.map((row) => row.xeroContactId.toLowerCase()));
  }

  /** Inserts a new link; the primary key and the (company, contact) constraint refuse a second one. */
  async insert(tx: EntityManager, mapping: Omit<ContactMappingEntity, 'createdAt' | 'updatedAt'>): Promise<void> {
    await tx.insert(ContactMappingEntity, mapping);
  }

  async recordWrite(tx: EntityManager, mapping: Pick<ContactMappingEntity, 'companyId' | 'clientId' | 'contactName' | 'contentHash' | 'sentContact' | 'writeCount' | 'lastWrittenAt'>): Promise<void> {
    const { companyId, clientId, ...changes } = mapping;
    await tx.update(ContactMappingEntity, { companyId, clientId }, changes);
  }
}
