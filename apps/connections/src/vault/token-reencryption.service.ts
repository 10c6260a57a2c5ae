import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectionsConfig } from '../config/connections.config';
import { connectionAad } from '../connections/entities/xero-connection.entity';
import { stateAad } from '../oauth/oauth-state.entity';
import { TokenVault } from './token-vault.service';

const BATCH = 100;

interface SealedTable {
  table: string;
  columns: string[];
  /** Which rows still matter (e.g. unexpired states). */
  where: string;
  aad: (row: Record<string, string>, column: string) => string;
}

const TABLES: SealedTable[] = [
  {
    table: '"connections"."xero_connections"',
    columns: ['access_token', 'refresh_token'],
    where: 'TRUE',
    aad: (row, column) => connectionAad({ id: row['id'], companyId: row['company_id'] }, column as 'access_token' | 'refresh_token'),
  },
  {
    table: '"connections"."oauth_states"',
    columns: ['code_verifier'],
    where: '"consumed_at" IS NULL AND "expires_at" > now()',
    aad: (row) => stateAad({ id: row['id'], companyId: row['company_id'] }),
  },
];

/**
 * The re-encrypt pass of a key rotation: rewrites every secret sealed with an older key using the
 * active key (TOKEN_ENCRYPTION_ACTIVE_KEY), in batches of locked rows, so several replicas can run it at
 * once. After it reports nothing left, the old key can be removed from TOKEN_ENCRYPTION_KEYS.
 */
@Injectable()
export class TokenReencryptionService implements OnApplicationBootstrap {
  private readonly logger = new Logger(TokenReencryptionService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: TokenVault,
    @Inject(ConnectionsConfig) private readonly config: ConnectionsConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.TOKEN_REENCRYPT_ON_START) return;
    // In the background: the service is ready before the pass ends; old ciphertexts open in the meantime.
    void this.reencryptAll().catch((error: Error) => this.logger.error(`token re-encryption failed: ${error.message}`));
  }

  /** Rewrites what is sealed with other keys; returns how many values were rewritten and how many could not be opened. */
  async reencryptAll(): Promise<{ rewritten: number; failed: number }> {
    let rewritten = 0;
    let failed = 0;
    for (const table of TABLES) {
      let cursor = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const batch = await this.dataSource.transaction((tx) => this.reencryptBatch(tx, table, cursor));
        rewritten += batch.rewritten;
        failed += batch.failed;
        if (batch.lastId === undefined) break;
        cursor = batch.lastId;
      }
    }
    if (rewritten > 0 || failed > 0) {
      this.logger.log(`token re-encryption to key "${this.vault.activeKeyId}": ${rewritten} value(s) rewritten, ${failed} could not be opened`);
    }
    return { rewritten, failed };
  }

  private async reencryptBatch(tx: EntityManager, table: SealedTable, cursor: string): Promise<{ rewritten: number; failed: number; lastId?: string }> {
    const prefix = `v1:${this.vault.activeKeyId}:`;
    // left() rather than LIKE: key ids may contain "_", a LIKE wildcard.
    const stale = table.columns.map((c) => `("${c}" IS NOT NULL AND left("${c}", ${prefix.length}) <> $2)`).join(' OR ');
    const rows: Record<string, string>[] = await tx.query(
      `SELECT "id", "company_id", ${table.columns.map((c) => `"${c}"`).join(', ')} FROM ${table.table}
       WHERE "id" > $1 AND ${table.where} AND (${stale}) ORDER BY "id" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      [cursor, prefix],
    );
    let rewritten = 0;
    let failed = 0;
    for (const row of rows) {
      const updates: Record<string, string> = {};
      for (const column of table.columns) {
        const sealed = row[column];
        if (!sealed || !this.vault.needsRotation(sealed)) continue;
        try {
          updates[column] = this.vault.reseal(sealed, table.aad(row, column));
        } catch (error) {
          failed += 1;
          this.logger.error(`cannot re-encrypt ${column} of ${table.table} row ${row['id']}: ${(error as { code?: string }).code ?? (error as Error).message}`);
        }
      }
      const columns = Object.keys(updates);
      if (columns.length === 0) continue;
      await tx.query(`UPDATE ${table.table} SET ${columns.map((c, i) => `"${c}" = $${i + 2}`).join(', ')} WHERE "id" = $1`, [row['id'], ...columns.map((c) => updates[c])]);
      rewritten += columns.length;
    }
    return { rewritten, failed, lastId: rows.at(-1)?.['id'] };
  }
}
