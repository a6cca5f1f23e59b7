import { MigrationInterface, QueryRunner } from 'typeorm';

export class EventRelay1795885043947 implements MigrationInterface {
  name = 'EventRelay1795885043947';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "event_relay_state" ("relay" character varying(40) NOT NULL, "snapshot" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d5980029c9c0462fd9759be1793" PRIMARY KEY ("relay"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "customer_event_stream" ("position" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "event_id" uuid NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9897f206caf3fbef71edc6d95c0" PRIMARY KEY ("position"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "customer_event_stream_event" ON "customer_event_stream"  ("event_id") `);
    await queryRunner.query(`ALTER TABLE "customer_events" ADD "sequence" bigint GENERATED ALWAYS AS IDENTITY NOT NULL`);
    // A function rather than the cast expression: TypeORM's schema diff strips casts from defaults.
    await queryRunner.query(`CREATE FUNCTION current_transaction_id() RETURNS bigint LANGUAGE sql VOLATILE AS 'SELECT pg_current_xact_id()::text::bigint'`);
    await queryRunner.query(`ALTER TABLE "customer_events" ADD "transaction_id" bigint NOT NULL DEFAULT current_transaction_id()`);
    // json keeps the stored response's field order for replays.
    await queryRunner.query(`ALTER TABLE "idempotency_keys" ALTER COLUMN "response_body" TYPE json USING "response_body"::json`);
    await queryRunner.query(`CREATE UNIQUE INDEX "customer_events_sequence" ON "customer_events"  ("sequence") `);
    await queryRunner.query(`CREATE INDEX "customer_events_transaction" ON "customer_events"  ("transaction_id") `);
    // Events before this point were notified by the writers themselves: the relay starts after them.
    await queryRunner.query(`INSERT INTO "event_relay_state" ("relay", "snapshot") VALUES ('customer_events', pg_current_snapshot()::text)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."customer_events_transaction"`);
    await queryRunner.query(`DROP INDEX "public"."customer_events_sequence"`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" ALTER COLUMN "response_body" TYPE jsonb USING "response_body"::jsonb`);
    await queryRunner.query(`ALTER TABLE "customer_events" DROP COLUMN "transaction_id"`);
    await queryRunner.query(`DROP FUNCTION current_transaction_id()`);
    await queryRunner.query(`ALTER TABLE "customer_events" DROP COLUMN "sequence"`);
    await queryRunner.query(`DROP INDEX "public"."customer_event_stream_event"`);
    await queryRunner.query(`DROP TABLE "customer_event_stream"`);
    await queryRunner.query(`DROP TABLE "event_relay_state"`);
  }
}
