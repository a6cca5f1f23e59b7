import { DataSource } from 'typeorm';
import { loadDotEnv } from './src/config/dot-env';
import { validateEnvironment } from './src/config/environment';
import { openConfiguredDatabase } from './src/database/database-target';
import { buildDataSourceOptions } from './src/database/data-source-options';

/**
 * The DataSource the TypeORM CLI uses (`npm run migration:run`, `npm run migration:generate`): the
 * app's own options, on the configured database: DATABASE_URL, or the embedded one (the running
 * server, or started for the command and stopped when it exits).
 */
loadDotEnv();

export default openConfiguredDatabase().then(({ url }) => {
  const { DB_POOL_SIZE, DB_LOCK_TIMEOUT_MS } = validateEnvironment(process.env);
  return new DataSource(buildDataSourceOptions(url, { size: DB_POOL_SIZE, lockTimeoutMs: DB_LOCK_TIMEOUT_MS }));
});
