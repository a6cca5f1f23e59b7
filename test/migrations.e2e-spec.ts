import { createTestApp, TestApp } from './support/test-app';

describe('Migrations (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(async () => t.close());

  it('leave no difference between the entities and the schema (migration:generate would be empty)', async () => {
    const sqlInMemory = await t.dataSource.driver.createSchemaBuilder().log();
    expect(sqlInMemory.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('are all applied', async () => {
    expect(await t.dataSource.showMigrations()).toBe(false);
  });
});
