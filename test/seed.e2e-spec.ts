import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createTestDatabase, dropTestDatabase } from './support/test-database';

const run = promisify(execFile);

describe('npm run seed (e2e)', () => {
  let databaseUrl: string;
  let client: Client;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase(process.env.TEST_SERVER_URL!, 'customer_admin_seed');
    await run(process.execPath, [join(__dirname, '..', 'dist', 'scripts', 'seed.js'), '--count', '3000'], {
      env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl },
    });
    client = new Client({ connectionString: databaseUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await dropTestDatabase(databaseUrl);
  });

  const one = async (sql: string) => (await client.query(sql)).rows[0];

  it('inserts exactly --count realistic customers of every tier and status', async () => {
    expect(await one('SELECT count(*)::int AS n FROM customers')).toEqual({ n: 3000 });
    const tiers = (await client.query('SELECT tier, count(*)::int AS n FROM customers GROUP BY tier ORDER BY n DESC')).rows;
    expect(tiers.map((row) => row.tier)).toEqual(['starter', 'growth', 'scale', 'enterprise', 'custom']);
    expect((await client.query('SELECT DISTINCT status FROM customers ORDER BY status')).rows.map((row) => row.status)).toEqual(['active', 'suspended']);
    expect(await one('SELECT count(DISTINCT contact_email)::int AS n, count(DISTINCT company_name)::int AS names FROM customers')).toEqual({
      n: 3000,
      names: 3000,
    });
    const spread = await one(`SELECT extract(epoch FROM max(created_at) - min(created_at)) / 86400 AS days FROM customers`);
    expect(Number(spread.days)).toBeGreaterThan(365 * 3);
  });

  it('leaves the tables settled as autovacuum would: every page all-visible, so index-only scans read no heap', async () => {
    const tables = (
      await client.query(`SELECT relname, relpages, relallvisible FROM pg_class WHERE relname IN ('customers', 'customer_metadata_values') ORDER BY relname`)
    ).rows;
    expect(tables).toHaveLength(2);
    for (const { relname, relpages, relallvisible } of tables) expect({ relname, relallvisible }).toEqual({ relname, relallvisible: relpages });
    expect(await one(`SELECT count(*)::int AS n FROM customer_metadata_values`)).toEqual({ n: 4 * 3000 });
  });

  it('gives every standard-tier customer the tier table values', async () => {
    const wrong = await one(`SELECT count(*)::int AS n FROM customers WHERE
      (tier = 'scale' AND (annual_commitment <> 500000 OR annual_validation_limit <> 30000000 OR rate_limit_requests_per_second <> 200 OR rate_limit_burst <> 400))
      OR (tier = 'starter' AND (annual_commitment <> 10000 OR rate_limit_burst <> 20))
      OR rate_limit_burst < rate_limit_requests_per_second OR contract_end < contract_start`);
    expect(wrong).toEqual({ n: 0 });
  });
});
