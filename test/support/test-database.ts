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
