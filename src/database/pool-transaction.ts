import type { Pool, PoolClient } from 'pg';

/** The connection a transaction's statements go through (see `inPoolTransaction`). */
export type SqlTransaction = Pick<PoolClient, 'query'>;

/**
 * Runs `work` in one transaction on a connection of its own from the pool: BEGIN, the work's
 * statements, COMMIT; ROLLBACK when it throws. A connection that cannot even roll back (it died
 * under the transaction) is destroyed rather than returned to the pool.
 *
 * For hot write paths that send their own named statements: TypeORM's transaction and query runner
 * cost more CPU per request than the statements themselves (BENCHMARKS.md).
 */
export async function inPoolTransaction<T>(pool: Pool, work: (transaction: SqlTransaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
