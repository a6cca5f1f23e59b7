import { MigrationInterface, QueryRunner } from 'typeorm';

export class ScheduledChanges1796169655000 implements MigrationInterface {
  name = 'ScheduledChanges1796169655000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "scheduled_changes" (
            "scheduled_change_id" uuid NOT NULL DEFAULT gen_random_uuid(),
            "customer_id" uuid NOT NULL,
            "effective_at" TIMESTAMP WITH TIME ZONE NOT NULL,
            "changes" jsonb NOT NULL,
            "status" character varying(20) NOT NULL DEFAULT 'pending',
            "created_by" character varying(200) NOT NULL,
            "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
            "applied_at" TIMESTAMP WITH TIME ZONE,
            "failure" text,
            CONSTRAINT "scheduled_changes_status_valid" CHECK (status IN ('pending', 'applied', 'canceled', 'failed')),
            CONSTRAINT "PK_6ed4b481b8b27e23f205773c58b" PRIMARY KEY ("scheduled_change_id")
        )`);
    // A customer's list, newest first.
    await queryRunner.query(`CREATE INDEX "scheduled_changes_customer_created" ON "scheduled_changes" ("customer_id", "created_at", "scheduled_change_id")`);
    // The worker's due changes: pending ones only, so the index stays as small as the backlog.
    await queryRunner.query(`CREATE INDEX "scheduled_changes_pending_due" ON "scheduled_changes" ("effective_at") WHERE status = 'pending'`);
    await queryRunner.query(
      `ALTER TABLE "scheduled_changes" ADD CONSTRAINT "FK_1057525532095065e29696ea306" FOREIGN KEY ("customer_id") REFERENCES "customers"("customer_id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "scheduled_changes"`);
  }
}
