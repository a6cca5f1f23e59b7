import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './src/database/data-source-options';

/** The DataSource the TypeORM CLI uses (`npm run migration:run`, `npm run migration:generate`): the app's own options. */
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  throw new Error('DATABASE_URL is not set: the TypeORM CLI needs a PostgreSQL server, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/customers');
}

export default new DataSource(buildDataSourceOptions(databaseUrl));
