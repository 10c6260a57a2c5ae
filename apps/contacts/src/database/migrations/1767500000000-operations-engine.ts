import { xeroOperationsTablesSql } from '@ledgerline/xero-operations';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The operations engine's tables: contact syncs reach Xero through it, with no transaction open while they wait. */
export class OperationsEngine1767500000000 implements MigrationInterface {
  name = 'OperationsEngine1767500000000';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of xeroOperationsTablesSql('contacts').up) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of xeroOperationsTablesSql('contacts').down) await db.query(statement);
  }
}
