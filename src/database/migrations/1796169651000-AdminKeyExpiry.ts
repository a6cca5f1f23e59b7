import { MigrationInterface, QueryRunner } from 'typeorm';

export class AdminKeyExpiry1796169651000 implements MigrationInterface {
  name = 'AdminKeyExpiry1796169651000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "admin_api_keys" ADD "expires_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "admin_api_keys" ADD "last_used_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "admin_api_keys" DROP COLUMN "last_used_at"`);
    await queryRunner.query(`ALTER TABLE "admin_api_keys" DROP COLUMN "expires_at"`);
  }
}
