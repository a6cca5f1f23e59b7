import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { join } from 'node:path';
import { makeDataParent } from './support/app-process';
import { PostgresProcess, startPostgresProcess } from './support/postgres-process';
import { createCustomer } from './support/customers';
import { createTestApp, TestApp, WRITE_KEY } from './support/test-app';
import { createIsolatedDatabase } from './support/test-database';

/** The database goes away under a running app: a PostgreSQL of this test's own, stopped and restarted. */
describe('Database outage (e2e)', () => {
  const parent = makeDataParent();
  const dataDir = join(parent, 'postgres');
  let postgres: PostgresProcess;
  let port: number;
  let t: TestApp;

  beforeAll(async () => {
    postgres = await startPostgresProcess(dataDir);
    port = Number(new URL(postgres.url).port);
    t = await createTestApp({}, postgres.url);
  });
  afterAll(async () => {
    await t?.close();
    await postgres?.stop();
    rmSync(parent, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After quickly, fails readiness, stays alive, and recovers by itself', async () => {
    const customer = await createCustomer(t);
    const put = (tier: string) => t.http().put(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY).send({ tier });
    await put('growth').expect(200);

    await postgres.stop();
    for (const request of [() => put('scale'), () => t.http().get(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY)]) {
      const started = Date.now();
      const response = await request();
      expect(Date.now() - started).toBeLessThan(3000);
      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
    }
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.detail).toMatch(/database/);
    expect(ready.headers['retry-after']).toBe('5');
    await t.http().get('/health/live').expect(200);

    postgres = await startPostgresProcess(dataDir, port);
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await put('scale')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(200);
    await t.http().get('/health/ready').expect(200);
    const current = await t.http().get(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY).expect(200);
    expect(current.body.tier).toBe('scale');
  });
});

/** PostgreSQL up but refusing this database's new connections: what a client sees is 503, never 500. */
describe('Database refusing new connections (e2e)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let t: TestApp;
  let admin: Client;
  let name: string;

  beforeAll(async () => {
    database = await createIsolatedDatabase('refusing');
    name = decodeURIComponent(new URL(database.url).pathname.slice(1));
    t = await createTestApp({ DB_POOL_SIZE: '2' }, database.url);
    admin = new Client({ connectionString: process.env.TEST_SERVER_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    await admin.end();
    await t?.close();
    await database.drop();
  });

  it('answers database-backed requests with 503 and Retry-After, and recovers when connections are allowed again', async () => {
    const customer = await createCustomer(t);
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    for (const request of [
      () => t.http().get(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY),
      () => t.http().get('/admin/customers').set('x-api-key', WRITE_KEY),
      () => t.http().put(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY).send({ tier: 'scale' }),
    ]) {
      const response = await request();
      expect({ status: response.status, retryAfter: Number(response.headers['retry-after']) > 0 }).toEqual({ status: 503, retryAfter: true });
      expect(response.headers['content-type']).toMatch(/problem\+json/);
    }
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await t.http().get(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });
});
