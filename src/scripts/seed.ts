import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { Client } from 'pg';
import { openConfiguredDatabase } from '../database/database-target';
import { runMigrations } from '../database/migrate';

const BATCH_SIZE = 50_000;

/**
 * One set-based INSERT … SELECT per batch: names, emails, tiers (starter-heavy), statuses, metadata
 * and created_at (spread over five years) are all derived from the row number in SQL, so a million
 * rows never cross the wire one by one. Seeded customers have no events: this is bulk test data.
 */
const INSERT_BATCH = `
WITH rows AS (
  SELECT g,
    (ARRAY['Acme','Globex','Initech','Umbrella','Stark','Wayne','Hooli','Vandelay','Cyberdyne','Tyrell','Soylent','Wonka',
           'Oscorp','Gringotts','Monarch','Aperture','Massive','Pied Piper','Dunder','Sterling','Nakatomi','Virtucon'])[1 + (g * 7) % 22] AS brand,
    (ARRAY['Financial','Payments','Bank','Capital','Insurance','Lending','Credit Union','Wealth','Markets','Fintech','Trust','Holdings'])[1 + (g * 13) % 12] AS kind,
    (g * 2654435761) % 1000 AS dice,
    (g * 40503) % 157680000 AS age_seconds
  FROM generate_series($1::bigint, $2::bigint) AS g
), shaped AS (
  SELECT *,
    CASE WHEN dice < 500 THEN 'starter' WHEN dice < 800 THEN 'growth' WHEN dice < 920 THEN 'scale' WHEN dice < 980 THEN 'enterprise' ELSE 'custom' END AS tier
  FROM rows
)
INSERT INTO customers (company_name, contact_email, tier, status, annual_commitment, annual_validation_limit,
  rate_limit_requests_per_second, rate_limit_burst, contract_start, contract_end, metadata, created_at, updated_at)
SELECT
  brand || ' ' || kind || ' ' || g,
  lower(replace(brand, ' ', '')) || '.' || g || '.' || $3 || '@example.com',
  tier,
  CASE WHEN (g * 31) % 100 < 8 THEN 'suspended' ELSE 'active' END,
  CASE tier WHEN 'starter' THEN 10000 WHEN 'growth' THEN 100000 WHEN 'scale' THEN 500000 WHEN 'enterprise' THEN 1500000 ELSE 2000000 + (g % 50) * 100000 END,
  CASE tier WHEN 'starter' THEN 500000 WHEN 'growth' THEN 5000000 WHEN 'scale' THEN 30000000 WHEN 'enterprise' THEN 120000000 ELSE 150000000 + (g % 50) * 1000000 END,
  CASE tier WHEN 'starter' THEN 10 WHEN 'growth' THEN 50 WHEN 'scale' THEN 200 WHEN 'enterprise' THEN 1000 ELSE 1500 + (g % 10) * 100 END,
  CASE tier WHEN 'starter' THEN 20 WHEN 'growth' THEN 100 WHEN 'scale' THEN 400 WHEN 'enterprise' THEN 2000 ELSE 3000 + (g % 10) * 200 END,
  CASE WHEN dice % 5 < 3 THEN (now() - age_seconds * interval '1 second')::date END,
  CASE WHEN dice % 5 < 2 THEN (now() - age_seconds * interval '1 second' + interval '1 year')::date END,
  jsonb_build_object('region', (ARRAY['us-east','us-west','eu-central','eu-west','ap-south'])[1 + g % 5], 'seats', g % 500, 'sso', g % 2 = 0),
  now() - age_seconds * interval '1 second' - (g % 1000000) * interval '1 microsecond',
  now() - (age_seconds / 2) * interval '1 second'
FROM shaped`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '100000' } } });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 50_000_000) {
    console.error('--count must be a whole number from 1 to 50000000');
    process.exit(1);
  }
  const database = await openConfiguredDatabase();
  try {
    await runMigrations(database.url);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    await client.query('SET synchronous_commit = off');
    const runId = Date.now().toString(36);
    const startedAt = Date.now();
    const bar = new SingleBar({ format: 'seeding [{bar}] {percentage}% | {value}/{total} customers | {duration}s' }, Presets.shades_classic);
    bar.start(count, 0);
    for (let from = 1; from <= count; from += BATCH_SIZE) {
      const to = Math.min(count, from + BATCH_SIZE - 1);
      await client.query(INSERT_BATCH, [from, to, runId]);
      bar.update(to);
    }
    bar.stop();
    await client.query('ANALYZE customers');
    await client.end();
    console.log(`Inserted ${count} customers in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  } finally {
    await database.stop();
  }
}

main().catch((error) => {
  console.error(`Seeding failed: ${(error as Error).message}`);
  process.exit(1);
});
