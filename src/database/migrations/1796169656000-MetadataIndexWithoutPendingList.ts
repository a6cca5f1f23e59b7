import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The metadata GIN index without its pending list (fastupdate off): with it, new entries wait in an
 * unsorted list of up to gin_pending_list_limit (4 MB) that every metadata search scans in full until
 * a vacuum merges it, which made a selective filter cost milliseconds of CPU at 1,000,000 customers
 * (BENCHMARKS.md). Writes that change metadata now insert into the index directly.
 */
export class MetadataIndexWithoutPendingList1796169656000 implements MigrationInterface {
  name = 'MetadataIndexWithoutPendingList1796169656000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER INDEX "customers_metadata" SET (fastupdate = off)`);
    // Entries already pending are merged now rather than at the next vacuum.
    await queryRunner.query(`SELECT gin_clean_pending_list('customers_metadata'::regclass)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER INDEX "customers_metadata" RESET (fastupdate)`);
  }
}
