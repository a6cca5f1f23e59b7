import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `metadata[key]=value` filters walk an index in the list's own order instead of sorting every match
 * (BENCHMARKS.md): one row per customer and metadata key, with the value as its text (a string as
 * itself, a number or boolean as its JSON text) and the customer's (created_at, customer_id), kept by
 * triggers on every insert and every metadata change (erasure, which empties metadata, included;
 * a bulk load that sets customer_admin.bulk_load inserts its rows itself).
 * The GIN index the filters used before is dropped.
 */
export class CustomerMetadataValues1796169657000 implements MigrationInterface {
  name = 'CustomerMetadataValues1796169657000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "customer_metadata_values" (
            "key" character varying(40) NOT NULL,
            "value" text NOT NULL,
            "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
            "customer_id" uuid NOT NULL REFERENCES "customers" ("customer_id") ON DELETE CASCADE,
            CONSTRAINT "customer_metadata_values_pkey" PRIMARY KEY ("key", "value", "created_at", "customer_id")
        )`);
    await queryRunner.query(`CREATE INDEX "customer_metadata_values_customer" ON "customer_metadata_values" ("customer_id")`);
    await queryRunner.query(`CREATE FUNCTION customer_metadata_values_sync() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- A bulk load (npm run seed) inserts the rows itself, in index order, in the same statement.
                IF TG_OP = 'INSERT' AND current_setting('customer_admin.bulk_load', true) = 'on' THEN
                    RETURN NULL;
                END IF;
                IF TG_OP = 'UPDATE' THEN
                    DELETE FROM customer_metadata_values WHERE customer_id = OLD.customer_id;
                END IF;
                INSERT INTO customer_metadata_values (key, value, created_at, customer_id)
                    SELECT entry.key, entry.value #>> '{}', NEW.created_at, NEW.customer_id FROM jsonb_each(NEW.metadata) entry;
                RETURN NULL;
            END $$`);
    await queryRunner.query(
      `CREATE TRIGGER customer_metadata_values_insert AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION customer_metadata_values_sync()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER customer_metadata_values_update AFTER UPDATE OF metadata ON customers FOR EACH ROW
       WHEN (OLD.metadata IS DISTINCT FROM NEW.metadata) EXECUTE FUNCTION customer_metadata_values_sync()`,
    );
    await queryRunner.query(`INSERT INTO customer_metadata_values (key, value, created_at, customer_id)
            SELECT entry.key, entry.value #>> '{}', c.created_at, c.customer_id FROM customers c, jsonb_each(c.metadata) entry`);
    await queryRunner.query(`DROP INDEX "customers_metadata"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "customers_metadata" ON "customers" USING gin ("metadata" jsonb_path_ops) WITH (fastupdate = off)`);
    await queryRunner.query(`DROP TRIGGER customer_metadata_values_update ON customers`);
    await queryRunner.query(`DROP TRIGGER customer_metadata_values_insert ON customers`);
    await queryRunner.query(`DROP FUNCTION customer_metadata_values_sync()`);
    await queryRunner.query(`DROP TABLE "customer_metadata_values"`);
  }
}
