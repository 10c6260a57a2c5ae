import { messagingTablesSql } from '@ledgerline/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialPayments1763700000004 implements MigrationInterface {
  name = 'InitialPayments1763700000004';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of messagingTablesSql('payments').up) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of messagingTablesSql('payments').down) await db.query(statement);
  }
}
