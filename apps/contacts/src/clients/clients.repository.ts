import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { ClientRecord } from './domain/client-record';
import { ClientEntity } from './entities/client.entity';

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

function toRecord(entity: ClientEntity): ClientRecord {
  const record: ClientRecord = { companyId: entity.companyId, clientId: entity.clientId, name: entity.name, updatedAt: entity.sourceUpdatedAt };
  if (entity.firstName !== null) record.firstName = entity.firstName;
  if (entity.lastName !== null) record.lastName = entity.lastName;
  if (entity.email !== null) record.email = entity.email;
  if (entity.phone !== null) record.phone = entity.phone;
  if (entity.taxNumber !== null) record.taxNumber = entity.taxNumber;
  if (entity.accountNumber !== null) record.accountNumber = entity.accountNumber;
  if (entity.address !== null) record.address = entity.address;
  return record;
}

/** The service's own record of each company's clients. Every query is scoped by company. */
@Injectable()
export class ClientsRepository {
  /**
   * Serialises all work on one client until `tx` ends: `client.upserted` and `contact.sync_requested` arrive on
   * different topics and may be handled at the same moment, and only one of them may decide to create the contact.
   * A single 64-bit key, so it never collides with the two-key locks the Xero budget takes.
   */
  async lock(tx: EntityManager, companyId: string, clientId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(['contacts.client', companyId, clientId])]);
  }

  async find(tx: EntityManager, companyId: string, clientId: string): Promise<ClientRecord | undefined> {
    const entity = await tx.findOneBy(ClientEntity, { companyId, clientId });
    return entity ? toRecord(entity) : undefined;
  }

  async findMany(tx: EntityManager, companyId: string, clientIds: string[]): Promise<Map<string, ClientRecord>> {
    if (clientIds.length === 0) return new Map();
    const entities = await tx.find(ClientEntity, { where: { companyId, clientId: In(clientIds) } });
    return new Map(entities.map((e) => [e.clientId, toRecord(e)]));
  }

  async save(tx: EntityManager, record: ClientRecord): Promise<void> {
    await tx.save(
      tx.create(ClientEntity, {
        companyId: record.companyId,
        clientId: record.clientId,
        name: record.name,
        firstName: orNull(record.firstName),
        lastName: orNull(record.lastName),
        email: orNull(record.email),
        phone: orNull(record.phone),
        taxNumber: orNull(record.taxNumber),
        accountNumber: orNull(record.accountNumber),
        address: orNull(record.address),
        sourceUpdatedAt: record.updatedAt,
      }),
    );
  }
}
