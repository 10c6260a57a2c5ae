import { messagingTablesSql } from '@ledgerline/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialDocuments1763700000003 implements MigrationInterface {
  name = 'InitialDocuments1763700000003';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of messagingTablesSql('documents').up) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of messagingTablesSql('documents').down) await db.query(statement);
  }
}
