import { messagingTablesSql } from '@ledgerline/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialConnections1763700000001 implements MigrationInterface {
  name = 'InitialConnections1763700000001';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of messagingTablesSql('connections').up) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of messagingTablesSql('connections').down) await db.query(statement);
  }
}
