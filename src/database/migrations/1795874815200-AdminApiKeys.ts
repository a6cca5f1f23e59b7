import { MigrationInterface, QueryRunner } from 'typeorm';

export class AdminApiKeys1795874815200 implements MigrationInterface {
  name = 'AdminApiKeys1795874815200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "admin_api_keys" ("key_id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(64) NOT NULL, "scope" character varying(10) NOT NULL, "secret_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "admin_api_keys_scope_valid" CHECK (scope IN ('read', 'write')), CONSTRAINT "PK_9650c37748ca98f631a47ee46cd" PRIMARY KEY ("key_id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "admin_api_keys_secret_hash" ON "admin_api_keys"  ("secret_hash") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "admin_api_keys_active_name" ON "admin_api_keys"  ("name") WHERE revoked_at IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."admin_api_keys_active_name"`);
    await queryRunner.query(`DROP INDEX "public"."admin_api_keys_secret_hash"`);
    await queryRunner.query(`DROP TABLE "admin_api_keys"`);
  }
}
