import { Injectable } from '@nestjs/common';
import { EntityManager, In, Not } from 'typeorm';
import { ContactMappingEntity } from './entities/contact-mapping.entity';

/** Client → Xero contact links. Every query is scoped by company: one client id may be a different contact elsewhere. */
@Injectable()
export class ContactMappingsRepository {
  find(tx: EntityManager, companyId: string, clientId: string): Promise<ContactMappingEntity | null> {
    return tx.findOneBy(ContactMappingEntity, { companyId, clientId });
  }

  /** One page of a company's links, by client id. */
  async listForCompany(db: EntityManager, companyId: string, page: { clientId?: string; page: number; pageSize: number }): Promise<{ items: ContactMappingEntity[]; total: number }> {
    const [items, total] = await db.findAndCount(ContactMappingEntity, {
      where: page.clientId === undefined ? { companyId } : { companyId, clientId: page.clientId },
      order: { clientId: 'ASC' },
      skip: (page.page - 1) * page.pageSize,
      take: page.pageSize,
    });
    return { items, total };
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
