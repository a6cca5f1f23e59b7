import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrate';
import { createTestDatabase } from './support/test-database';

declare global {
  var __EMBEDDED_POSTGRES__: EmbeddedPostgres | undefined;
}

/**
 * One database for the run, migrated once: on TEST_DATABASE_URL's server when set, otherwise on
 * an embedded PostgreSQL in a temporary directory. Test files share it, each on its own customers.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const embedded = new EmbeddedPostgres({ dataDir: 'temp' });
    serverUrl = await embedded.start();
    globalThis.__EMBEDDED_POSTGRES__ = embedded;
  }
  const databaseUrl = await createTestDatabase(serverUrl);
  process.env.TEST_SERVER_URL = serverUrl;
  process.env.DATABASE_URL = databaseUrl;
  await runMigrations(databaseUrl);
  const where = globalThis.__EMBEDDED_POSTGRES__ ? 'embedded PostgreSQL' : 'TEST_DATABASE_URL';
  console.log(`\ne2e database: ${new URL(databaseUrl).pathname.slice(1)} on ${where}`);
}
