import { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1795893256103 implements MigrationInterface {
  name = 'Webhooks1795893256103';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhook_endpoints" ("webhook_endpoint_id" uuid NOT NULL DEFAULT gen_random_uuid(), "url" character varying(2048) NOT NULL, "description" character varying(500), "event_types" character varying(40) array NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "disabled_reason" character varying(300), "disabled_at" TIMESTAMP WITH TIME ZONE, "failing_since" TIMESTAMP WITH TIME ZONE, "secret" character varying(100) NOT NULL, "previous_secret" character varying(100), "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e99e0d019969202289924611db3" PRIMARY KEY ("webhook_endpoint_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_deliveries" ("delivery_id" uuid NOT NULL DEFAULT gen_random_uuid(), "webhook_endpoint_id" uuid NOT NULL, "event_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "event_type" character varying(40) NOT NULL, "position" bigint NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "max_attempts" integer NOT NULL, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "leased_until" TIMESTAMP WITH TIME ZONE, "last_attempt_at" TIMESTAMP WITH TIME ZONE, "last_response_status" integer, "last_response_body" text, "last_error" character varying(500), "last_duration_ms" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "webhook_deliveries_status_valid" CHECK (status IN ('pending', 'succeeded', 'failed')), CONSTRAINT "PK_6c1db1ec505a69c927e3c4dcee4" PRIMARY KEY ("delivery_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "webhook_deliveries_pending_order" ON "webhook_deliveries"  ("webhook_endpoint_id", "customer_id", "position") WHERE status = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_due" ON "webhook_deliveries"  ("next_attempt_at") WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_endpoint_position" ON "webhook_deliveries"  ("webhook_endpoint_id", "position") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "webhook_deliveries_endpoint_event" ON "webhook_deliveries"  ("webhook_endpoint_id", "event_id") `);
    await queryRunner.query(`ALTER TABLE "customer_events" ADD "customer" json`);
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_ebc7f6ebad5d665588d12549c68" FOREIGN KEY ("webhook_endpoint_id") REFERENCES "webhook_endpoints"("webhook_endpoint_id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_27d1ee90033bdafe0ffe8f1be6f" FOREIGN KEY ("event_id") REFERENCES "customer_events"("event_id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_27d1ee90033bdafe0ffe8f1be6f"`);
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_ebc7f6ebad5d665588d12549c68"`);
    await queryRunner.query(`ALTER TABLE "customer_events" DROP COLUMN "customer"`);
    await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_endpoint_event"`);
    await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_endpoint_position"`);
    await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_due"`);
    await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_pending_order"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
  }
}
