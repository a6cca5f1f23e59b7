import { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookReplay1796169654000 implements MigrationInterface {
  name = 'WebhookReplay1796169654000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" ADD "replay" boolean NOT NULL DEFAULT false`);
    // One live delivery per endpoint and event; replays add more of the same event.
    await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_endpoint_event"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "webhook_deliveries_endpoint_event" ON "webhook_deliveries" ("webhook_endpoint_id", "event_id") WHERE replay = false`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "webhook_deliveries" WHERE replay`);
    await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_endpoint_event"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "webhook_deliveries_endpoint_event" ON "webhook_deliveries" ("webhook_endpoint_id", "event_id") `);
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP COLUMN "replay"`);
  }
}
