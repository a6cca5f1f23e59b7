import { Client } from 'pg';

/** Test databases are created and dropped by the suite; anything without this marker in its name is never dropped. */
export const TEST_DATABASE_MARKER = '_test_';

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createTestDatabase(serverUrl: string, prefix = 'customer_admin'): Promise<string> {
  const name = `${prefix}${TEST_DATABASE_MARKER}${process.pid}_${Date.now().toString(36)}`;
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}

export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!name.includes(TEST_DATABASE_MARKER)) throw new Error(`Refusing to drop database "${name}": its name does not mark it as a test database`);
  const client = new Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * A migrated database of a test file's own on the suite's server, for tests whose subject is
 * database-wide (the relay's lock, terminating every backend, listening to every notification).
 */
export async function createIsolatedDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const { runMigrations } = await import('../../src/database/migrate');
  const url = await createTestDatabase(process.env.TEST_SERVER_URL!, prefix);
  await runMigrations(url);
  return { url, drop: () => dropTestDatabase(url) };
}
