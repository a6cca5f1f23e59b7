import { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomerListIndexes1795874524454 implements MigrationInterface {
  name = 'CustomerListIndexes1795874524454';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "customers_contact_email" ON "customers"  ("contact_email") `);
    await queryRunner.query(`CREATE INDEX "customers_tier_status_created_at_id" ON "customers"  ("tier", "status", "created_at", "customer_id") `);
    await queryRunner.query(`CREATE INDEX "customers_status_created_at_id" ON "customers"  ("status", "created_at", "customer_id") `);
    await queryRunner.query(`CREATE INDEX "customers_tier_created_at_id" ON "customers"  ("tier", "created_at", "customer_id") `);
    await queryRunner.query(`CREATE INDEX "customers_created_at_id" ON "customers"  ("created_at", "customer_id") `);
    // q: case-insensitive prefix search on the company name (lower(company_name) LIKE 'acme%').
    await queryRunner.query(`CREATE INDEX "customers_company_name_prefix" ON "customers" (lower("company_name") text_pattern_ops)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."customers_company_name_prefix"`);
    await queryRunner.query(`DROP INDEX "public"."customers_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."customers_tier_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."customers_status_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."customers_tier_status_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."customers_contact_email"`);
  }
}
