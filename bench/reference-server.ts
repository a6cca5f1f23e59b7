import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { TIER_POLICY } from '../src/tiers/tier-policy.service';

/**
 * The minimal reference the benchmark compares against: plain node:http + pg doing the same durable
 * work as the service, with none of the framework, validation or logging. PUT: key check, JSON body,
 * one transaction: BEGIN, SELECT … FOR UPDATE, merge, UPDATE … RETURNING, INSERT of the event row,
 * COMMIT (no NOTIFY: the service's relay publishes after commit). GET by id: one SELECT. List: the
 * first page's SELECT, mapped.
 */
const TABLE: Record<string, [number, number, number, number]> = Object.fromEntries(
  TIER_POLICY.table()
    .filter((row) => row.entitlements)
    .map(({ tier, entitlements: e }) => [tier, [e!.annual_commitment, e!.annual_validation_limit, e!.rate_limit.requests_per_second, e!.rate_limit.burst]]),
);

const UPDATE = `UPDATE customers SET tier = $2, annual_commitment = $3, annual_validation_limit = $4, rate_limit_requests_per_second = $5,
    rate_limit_burst = $6, metadata = $7::jsonb, version = version + 1, updated_at = now()
  WHERE customer_id = $1 RETURNING *`;
const INSERT_EVENT = `INSERT INTO customer_events (customer_id, type, actor, request_id, changes)
  VALUES ($1, 'customer.updated', 'reference', NULL, $2::json) RETURNING event_id`;
const FIRST_PAGE = 'SELECT * FROM customers ORDER BY created_at DESC, customer_id DESC LIMIT 21';

function toResponse(row: any) {
  return {
    customer_id: row.customer_id,
    company_name: row.company_name,
    contact_email: row.contact_email,
    tier: row.tier,
    status: row.status,
    annual_commitment: Number(row.annual_commitment),
    annual_validation_limit: Number(row.annual_validation_limit),
    rate_limit: { requests_per_second: row.rate_limit_requests_per_second, burst: row.rate_limit_burst },
    contract_start: row.contract_start,
    contract_end: row.contract_end,
    metadata: row.metadata,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function startReferenceServer(databaseUrl: string, apiKey: string, poolSize = 20): Promise<{ port: number; close(): Promise<void> }> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  const send = (response: ServerResponse, status: number, body: unknown) => {
    const json = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
    response.end(json);
  };

  async function update(id: string, patch: any): Promise<any> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query('SELECT * FROM customers WHERE customer_id = $1 FOR UPDATE', [id]);
      if (!rows[0]) {
        await client.query('ROLLBACK');
        return undefined;
      }
      const current = rows[0];
      const tier = patch.tier ?? current.tier;
      const [commitment, limit, rps, burst] = TABLE[tier] ?? [
        current.annual_commitment,
        current.annual_validation_limit,
        current.rate_limit_requests_per_second,
        current.rate_limit_burst,
      ];
      const metadata = { ...current.metadata };
      for (const [key, value] of Object.entries(patch.metadata ?? {})) {
        if (value === null) delete metadata[key];
        else metadata[key] = value;
      }
      const changes = { tier: { from: current.tier, to: tier }, metadata: { from: current.metadata, to: metadata } };
      const updated = await client.query(UPDATE, [id, tier, commitment, limit, rps, burst, JSON.stringify(metadata)]);
      await client.query(INSERT_EVENT, [id, JSON.stringify(changes)]);
      await client.query('COMMIT');
      return updated.rows[0];
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.headers['x-api-key'] !== apiKey) return send(response, 401, { title: 'Unauthorized' });
    const [path] = request.url!.split('?');
    const id = path.split('/')[3];
    const chunks: Buffer[] = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => void answer());
    const answer = async () => {
      try {
        if (request.method === 'PUT') {
          const row = await update(id, JSON.parse(Buffer.concat(chunks).toString() || '{}'));
          return row ? send(response, 200, toResponse(row)) : send(response, 404, { title: 'Not Found' });
        }
        if (!id) {
          const { rows: page } = await pool.query(FIRST_PAGE);
          return send(response, 200, { data: page.slice(0, 20).map(toResponse), has_more: page.length > 20, next_cursor: null });
        }
        const { rows } = await pool.query('SELECT * FROM customers WHERE customer_id = $1', [id]);
        return rows[0] ? send(response, 200, toResponse(rows[0])) : send(response, 404, { title: 'Not Found' });
      } catch {
        send(response, 500, { title: 'Internal Server Error' });
      }
    };
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as { port: number }).port,
        close: async () => {
          await new Promise((done) => server.close(() => done(undefined)));
          await pool.end();
        },
      }),
    ),
  );
}

if (require.main === module) {
  void startReferenceServer(process.env.DATABASE_URL!, process.env.REFERENCE_API_KEY!, Number(process.env.DB_POOL_SIZE ?? 20)).then(({ port }) =>
    console.log(`REFERENCE_PORT ${port}`),
  );
}
