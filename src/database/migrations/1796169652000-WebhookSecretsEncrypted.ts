import { MigrationInterface, QueryRunner } from 'typeorm';

/** Room for encrypted secrets; the service encrypts existing plaintext ones at start-up with its key (WebhookSecretsEncryption). */
export class WebhookSecretsEncrypted1796169652000 implements MigrationInterface {
  name = 'WebhookSecretsEncrypted1796169652000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_endpoints" ALTER COLUMN "secret" TYPE character varying(300)`);
    await queryRunner.query(`ALTER TABLE "webhook_endpoints" ALTER COLUMN "previous_secret" TYPE character varying(300)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_endpoints" ALTER COLUMN "previous_secret" TYPE character varying(100)`);
    await queryRunner.query(`ALTER TABLE "webhook_endpoints" ALTER COLUMN "secret" TYPE character varying(100)`);
  }
}
