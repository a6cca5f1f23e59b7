import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';

/** Applies pending migrations (initialising the data source runs them: migrationsRun). */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const dataSource = new DataSource(buildDataSourceOptions(databaseUrl));
  await dataSource.initialize();
  await dataSource.destroy();
}
