import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCustomers1795873896266 implements MigrationInterface {
  name = 'CreateCustomers1795873896266';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "customers" ("customer_id" uuid NOT NULL DEFAULT gen_random_uuid(), "company_name" character varying(200) NOT NULL, "contact_email" character varying(320) NOT NULL, "tier" character varying(20) NOT NULL, "status" character varying(20) NOT NULL, "annual_commitment" bigint NOT NULL, "annual_validation_limit" bigint NOT NULL, "rate_limit_requests_per_second" integer NOT NULL, "rate_limit_burst" integer NOT NULL, "contract_start" date, "contract_end" date, "metadata" jsonb NOT NULL DEFAULT '{}'::jsonb, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "customers_contract_dates_ordered" CHECK (contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start), CONSTRAINT "customers_status_valid" CHECK (status IN ('active', 'suspended')), CONSTRAINT "customers_tier_valid" CHECK (tier IN ('starter', 'growth', 'scale', 'enterprise', 'custom')), CONSTRAINT "PK_6c444ce6637f2c1d71c3cf136c1" PRIMARY KEY ("customer_id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "customers"`);
  }
}
