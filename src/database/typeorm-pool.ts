import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The pg Pool under TypeORM's postgres driver (its `master`), for statements sent without TypeORM's
 * query building: named prepared statements, and UPDATE … RETURNING rows (DataSource.query returns
 * `[rows, count]` for those).
 */
export function typeormPool(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}
