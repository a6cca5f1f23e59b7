import { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomerEventsAndIdempotency1795874279597 implements MigrationInterface {
  name = 'CustomerEventsAndIdempotency1795874279597';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "customer_events" ("event_id" uuid NOT NULL DEFAULT gen_random_uuid(), "customer_id" uuid NOT NULL, "type" character varying(40) NOT NULL, "actor" character varying(100) NOT NULL, "request_id" character varying(200), "changes" json NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), CONSTRAINT "PK_8399fd62f2774a0c2730aebb56f" PRIMARY KEY ("event_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "customer_events_customer_newest_first" ON "customer_events"  ("customer_id", "created_at", "event_id") `);
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("actor" character varying(100) NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "response_status" integer, "response_headers" jsonb, "response_body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_440561355c591f4d2619280678c" PRIMARY KEY ("actor", "key"))`,
    );
    await queryRunner.query(`CREATE INDEX "idempotency_keys_expires_at" ON "idempotency_keys"  ("expires_at") `);
    // The audit trail is append-only: the database refuses UPDATE and DELETE, whoever asks.
    await queryRunner.query(`CREATE FUNCTION customer_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'customer_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$`);
    await queryRunner.query(`CREATE TRIGGER customer_events_append_only BEFORE UPDATE OR DELETE ON "customer_events"
            FOR EACH ROW EXECUTE FUNCTION customer_events_append_only()`);
    await queryRunner.query(`CREATE TRIGGER customer_events_no_truncate BEFORE TRUNCATE ON "customer_events"
            FOR EACH STATEMENT EXECUTE FUNCTION customer_events_append_only()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "customer_events_no_truncate" ON "customer_events"`);
    await queryRunner.query(`DROP TRIGGER "customer_events_append_only" ON "customer_events"`);
    await queryRunner.query(`DROP FUNCTION customer_events_append_only()`);
    await queryRunner.query(`DROP INDEX "public"."idempotency_keys_expires_at"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`DROP INDEX "public"."customer_events_customer_newest_first"`);
    await queryRunner.query(`DROP TABLE "customer_events"`);
  }
}
