/** Anything with TypeORM's raw `query` (a DataSource, an EntityManager, a QueryRunner). */
export interface RawQueryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * The rows a statement returned. TypeORM's Postgres driver answers an UPDATE or DELETE with `[rows, rowCount]`
 * but every other statement with the rows alone, so `(await tx.query('UPDATE … RETURNING …')).length` is 2
 * whatever was updated. Every statement whose returned rows are read goes through this.
 */
export async function queryRows<T>(db: RawQueryable, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result = await db.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
