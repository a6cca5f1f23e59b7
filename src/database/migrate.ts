import { DataSource } from 'typeorm';
import { validateEnvironment } from '../config/environment';
import { buildDataSourceOptions } from './data-source-options';

/** Applies pending migrations (initialising the data source runs them: migrationsRun). */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const { DB_POOL_SIZE, DB_LOCK_TIMEOUT_MS } = validateEnvironment(process.env);
  const dataSource = new DataSource(buildDataSourceOptions(databaseUrl, { size: DB_POOL_SIZE, lockTimeoutMs: DB_LOCK_TIMEOUT_MS }));
  await dataSource.initialize();
  await dataSource.destroy();
}
