import { messagingTablesSql } from '@ledgerline/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialContacts1763700000002 implements MigrationInterface {
  name = 'InitialContacts1763700000002';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of messagingTablesSql('contacts').up) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of messagingTablesSql('contacts').down) await db.query(statement);
  }
}
