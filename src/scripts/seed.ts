import { loadDotEnv } from '../config/dot-env';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { Client } from 'pg';
import { openConfiguredDatabase } from '../database/database-target';
import { runMigrations } from '../database/migrate';
import { Tier, TIER_POLICY, TierEntitlements, TIERS } from '../tiers/index';
import { databaseFailure } from '../startup-failure';

// .env first, as npm start reads it: the CLIs work on the same configuration.
loadDotEnv();

const BATCH_SIZE = 50_000;

/** How the seeded customers spread over the tiers, per mille (starter-heavy, like a real book of business). */
const TIER_SHARE_PER_MILLE: Record<Tier, number> = { starter: 500, growth: 300, scale: 120, enterprise: 60, custom: 20 };

/** A CASE expression choosing each row's tier from `dice` (0–999) by the shares above. */
function tierCase(): string {
  let upTo = 0;
  const branches = TIERS.map((tier) => `WHEN dice < ${(upTo += TIER_SHARE_PER_MILLE[tier])} THEN '${tier}'`);
  return `CASE ${branches.join(' ')} END`;
}

/** A CASE expression giving each tier's value from the tier table; custom customers get negotiated values derived from `g`. */
function entitlementCase(value: (entitlements: TierEntitlements) => number, negotiated: string): string {
  const branches = TIER_POLICY.table()
    .filter((row) => row.entitlements !== null)
    .map(({ tier, entitlements }) => `WHEN '${tier}' THEN ${value(entitlements!)}`);
  return `CASE tier ${branches.join(' ')} ELSE ${negotiated} END`;
}

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
    ${tierCase()} AS tier
  FROM rows
)
INSERT INTO customers (company_name, contact_email, tier, status, annual_commitment, annual_validation_limit,
  rate_limit_requests_per_second, rate_limit_burst, contract_start, contract_end, metadata, created_at, updated_at)
SELECT
  brand || ' ' || kind || ' ' || g,
  lower(replace(brand, ' ', '')) || '.' || g || '.' || $3 || '@example.com',
  tier,
  CASE WHEN (g * 31) % 100 < 8 THEN 'suspended' ELSE 'active' END,
  ${entitlementCase((e) => e.annual_commitment, '2000000 + (g % 50) * 100000')},
  ${entitlementCase((e) => e.annual_validation_limit, '150000000 + (g % 50) * 1000000')},
  ${entitlementCase((e) => e.rate_limit.requests_per_second, '1500 + (g % 10) * 100')},
  ${entitlementCase((e) => e.rate_limit.burst, '3000 + (g % 10) * 200')},
  CASE WHEN dice % 5 < 3 THEN (now() - age_seconds * interval '1 second')::date END,
  CASE WHEN dice % 5 < 2 THEN (now() - age_seconds * interval '1 second' + interval '1 year')::date END,
  jsonb_build_object('region', (ARRAY['us-east','us-west','eu-central','eu-west','ap-south'])[1 + g % 5], 'seats', g % 500, 'sso', g % 2 = 0, 'crm_owner', 'owner-' || (g % 10000)),
  now() - age_seconds * interval '1 second' - (g % 1000000) * interval '1 microsecond',
  now() - (age_seconds / 2) * interval '1 second'
FROM shaped
RETURNING customer_id, created_at, metadata`;

/**
 * A batch and its customer_metadata_values rows in one statement, the rows inserted in index order
 * (the seed's session sets customer_admin.bulk_load, so the per-row trigger leaves them to this):
 * three times faster than the trigger's row-by-row inserts at 1,000,000 customers.
 */
const INSERT_BATCH_WITH_METADATA_VALUES = `
WITH inserted AS (${INSERT_BATCH})
INSERT INTO customer_metadata_values (key, value, created_at, customer_id)
SELECT entry.key, entry.value #>> '{}', inserted.created_at, inserted.customer_id
FROM inserted, jsonb_each(inserted.metadata) entry
ORDER BY 1, 2, 3, 4`;

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
    // Not `synchronous_commit = off`: one flush per 50,000 customers costs nothing, while a batch whose commit was
    // not yet flushed gets no hint bits from the VACUUM below, which then marks none of its pages all-visible (a
    // whole table was left so, at random, and the bench's index-only scans read the heap).
    await client.query(`SET customer_admin.bulk_load = 'on'`);
    const runId = Date.now().toString(36);
    const startedAt = Date.now();
    const bar = new SingleBar({ format: 'seeding [{bar}] {percentage}% | {value}/{total} customers | {duration}s' }, Presets.shades_classic);
    bar.start(count, 0);
    for (let from = 1; from <= count; from += BATCH_SIZE) {
      const to = Math.min(count, from + BATCH_SIZE - 1);
      await client.query(INSERT_BATCH_WITH_METADATA_VALUES, [from, to, runId]);
      bar.update(to);
    }
    bar.stop();
    // As autovacuum would soon after a bulk load: hint bits set and the visibility map built, so the bench measures a settled table.
    await client.query('VACUUM (ANALYZE) customers, customer_metadata_values');
    await client.end();
    console.log(`Inserted ${count} customers in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  } finally {
    await database.stop();
  }
}

main().catch((error) => {
  console.error(`Seeding failed: ${databaseFailure(error as Error)}`);
  process.exit(1);
});
