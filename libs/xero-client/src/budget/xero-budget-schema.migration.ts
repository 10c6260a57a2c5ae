import { MigrationInterface, QueryRunner } from 'typeorm';
import { budgetSchemaDownSql, budgetSchemaUpSql } from './budget-schema.sql';

/**
 * Creates the `xero_budget` schema that every service shares for Xero rate budgets. Services add this class
 * to their DataSource's `migrations`; it is idempotent, so several services running it is harmless.
 */
export class XeroBudgetSchema1767225600000 implements MigrationInterface {
  name = 'XeroBudgetSchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of budgetSchemaUpSql('xero_budget')) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of budgetSchemaDownSql('xero_budget')) await queryRunner.query(sql);
  }
}
