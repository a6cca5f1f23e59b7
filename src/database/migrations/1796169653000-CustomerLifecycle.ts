import { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomerLifecycle1796169653000 implements MigrationInterface {
  name = 'CustomerLifecycle1796169653000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customers" ADD "external_id" character varying(255)`);
    await queryRunner.query(`ALTER TABLE "customers" ADD "archived_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "customers" ADD "erased_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE UNIQUE INDEX "customers_external_id" ON "customers" ("external_id") WHERE external_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "customers_metadata" ON "customers" USING gin ("metadata" jsonb_path_ops)`);
    // Erasure scrubs personal data from a customer's events; nothing else may change them. The erasing
    // transaction names the customer in customer_admin.erasing, and may rewrite only the changes and
    // the snapshot of that customer's events.
    await queryRunner.query(`CREATE OR REPLACE FUNCTION customer_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND current_setting('customer_admin.erasing', true) = OLD.customer_id::text
                   AND NEW.event_id = OLD.event_id AND NEW.customer_id = OLD.customer_id AND NEW.type = OLD.type
                   AND NEW.actor = OLD.actor AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id
                   AND NEW.created_at = OLD.created_at AND NEW.sequence = OLD.sequence AND NEW.transaction_id = OLD.transaction_id THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'customer_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION customer_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'customer_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$`);
    await queryRunner.query(`DROP INDEX "public"."customers_metadata"`);
    await queryRunner.query(`DROP INDEX "public"."customers_external_id"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "erased_at"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "archived_at"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "external_id"`);
  }
}
