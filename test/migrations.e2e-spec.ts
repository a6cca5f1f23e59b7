import { createTestApp, TestApp } from './support/test-app';

describe('Migrations (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(async () => t.close());

  it('leave no difference between the entities and the schema (migration:generate would be empty)', async () => {
    const sqlInMemory = await t.dataSource.driver.createSchemaBuilder().log();
    expect(sqlInMemory.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('leave the metadata GIN index without a pending list, which every search would scan (BENCHMARKS.md)', async () => {
    const [index] = await t.dataSource.query<{ reloptions: string[] | null }[]>(`SELECT reloptions FROM pg_class WHERE relname = 'customers_metadata'`);
    expect(index.reloptions).toEqual(['fastupdate=off']);
  });

  it('are all applied', async () => {
    expect(await t.dataSource.showMigrations()).toBe(false);
  });
});
