import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readWithOneRetry } from '../../database/database-errors';
import { EntityRows, Row } from '../../database/entity-rows';
import { KeysetPages, KeysetRows } from '../../database/keyset-pages';
import { SqlTransaction, inPoolTransaction } from '../../database/pool-transaction';
import { typeormPool } from '../../database/typeorm-pool';
import type { CustomerPatch } from '../customer-changes';
import { ScheduledChange, ScheduledChangeStatus } from './scheduled-change.entity';

/** A due change: the oldest pending one of its customer whose time has come. */
export type DueChange = Pick<ScheduledChange, 'scheduled_change_id' | 'customer_id' | 'changes'>;

/** The scheduled changes' statements; status moves only from pending, each move guarded by `status = 'pending'`. */
@Injectable()
export class ScheduledChangesRepository {
  private entityRows?: EntityRows<ScheduledChange>;
  private pages?: KeysetPages<ScheduledChange>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get rows(): EntityRows<ScheduledChange> {
    return (this.entityRows ??= new EntityRows(this.dataSource, ScheduledChange));
  }

  private async query(text: string, values: unknown[]): Promise<Row[]> {
    const { rows } = await readWithOneRetry(() => typeormPool(this.dataSource).query<Row>(text, values));
    return rows;
  }

  async insert(change: { customerId: string; effectiveAt: Date; changes: CustomerPatch; createdBy: string }): Promise<ScheduledChange> {
    const { rows } = await typeormPool(this.dataSource).query<Row>(
      `INSERT INTO scheduled_changes (customer_id, effective_at, changes, created_by) VALUES ($1, $2, $3, $4) RETURNING ${this.rows.selectList}`,
      [change.customerId, change.effectiveAt, JSON.stringify(change.changes), change.createdBy],
    );
    return this.rows.hydrate(rows[0]);
  }

  async findOne(customerId: string, scheduledChangeId: string): Promise<ScheduledChange | null> {
    const [row] = await this.query(`SELECT ${this.rows.selectList} FROM scheduled_changes WHERE scheduled_change_id = $1 AND customer_id = $2`, [
      scheduledChangeId,
      customerId,
    ]);
    return row ? this.rows.hydrate(row) : null;
  }

  /** A customer's changes, newest first on (created_at, scheduled_change_id). */
  page(customerId: string, status: ScheduledChangeStatus | undefined, afterId: string | undefined, limit: number): Promise<KeysetRows<ScheduledChange>> {
    this.pages ??= new KeysetPages(this.dataSource, ScheduledChange, {
      table: 'scheduled_changes',
      order: ['created_at', 'scheduled_change_id'],
      id: 'scheduled_change_id',
      scope: ['customer_id'],
    });
    return this.pages.read({ scope: { customer_id: customerId }, where: { status: [(p) => `status = ${p}`, status] }, afterId, limit });
  }

  /**
   * Cancels a pending change and answers it as it is then (a change that is no longer pending is
   * answered unchanged); null when the customer has no such change. The row lock orders a cancel
   * and the worker's claim: whichever comes second sees the other's status.
   */
  cancel(customerId: string, scheduledChangeId: string): Promise<ScheduledChange | null> {
    return inPoolTransaction(typeormPool(this.dataSource), async (transaction) => {
      const { rows } = await transaction.query<Row>(
        `SELECT ${this.rows.selectList} FROM scheduled_changes WHERE scheduled_change_id = $1 AND customer_id = $2 FOR UPDATE`,
        [scheduledChangeId, customerId],
      );
      if (rows.length === 0) return null;
      const change = this.rows.hydrate(rows[0]);
      if (change.status !== ScheduledChangeStatus.Pending) return change;
      await transaction.query(`UPDATE scheduled_changes SET status = $2 WHERE scheduled_change_id = $1`, [scheduledChangeId, ScheduledChangeStatus.Canceled]);
      change.status = ScheduledChangeStatus.Canceled;
      return change;
    });
  }

  /**
   * In the customer's write transaction (its row locked): marks the change applied if it is still
   * pending. False when another instance applied it, or it was canceled, meanwhile: then nothing is applied.
   */
  async claim(transaction: SqlTransaction, scheduledChangeId: string): Promise<boolean> {
    const { rowCount } = await transaction.query(
      `UPDATE scheduled_changes SET status = $2, applied_at = now() WHERE scheduled_change_id = $1 AND status = $3`,
      [scheduledChangeId, ScheduledChangeStatus.Applied, ScheduledChangeStatus.Pending],
    );
    return rowCount === 1;
  }

  /** Records why a change could not be applied; false if it was no longer pending. */
  async markFailed(scheduledChangeId: string, failure: string): Promise<boolean> {
    const { rowCount } = await typeormPool(this.dataSource).query(
      `UPDATE scheduled_changes SET status = $2, failure = $3 WHERE scheduled_change_id = $1 AND status = $4`,
      [scheduledChangeId, ScheduledChangeStatus.Failed, failure, ScheduledChangeStatus.Pending],
    );
    return rowCount === 1;
  }

  /**
   * Due changes, at most one per customer (its oldest: a customer's changes apply in effective_at
   * order, the next only once this one is no longer pending), the longest-due first.
   */
  async due(limit: number): Promise<DueChange[]> {
    const rows = await this.query(
      `SELECT scheduled_change_id, customer_id, changes FROM (
         SELECT DISTINCT ON (customer_id) scheduled_change_id, customer_id, changes, effective_at
         FROM scheduled_changes WHERE status = $1 AND effective_at <= now()
         ORDER BY customer_id, effective_at, created_at, scheduled_change_id
       ) oldest ORDER BY effective_at LIMIT $2`,
      [ScheduledChangeStatus.Pending, limit],
    );
    return rows as DueChange[];
  }

  /** Milliseconds until the next pending change is due (0 if one is due), by the database's clock; undefined when none is pending. */
  async msUntilNextDue(): Promise<number | undefined> {
    const [row] = await this.query(
      `SELECT GREATEST(0, EXTRACT(EPOCH FROM min(effective_at) - clock_timestamp()) * 1000)::float8 AS ms FROM scheduled_changes WHERE status = $1`,
      [ScheduledChangeStatus.Pending],
    );
    return row.ms === null ? undefined : Number(row.ms);
  }

  async pendingCount(): Promise<number> {
    const [row] = await this.query(`SELECT count(*)::int AS count FROM scheduled_changes WHERE status = $1`, [ScheduledChangeStatus.Pending]);
    return Number(row.count);
  }

  /** How long the oldest due pending change has been due, in seconds (0 when none is due). */
  async oldestDueLagSeconds(): Promise<number> {
    const [row] = await this.query(
      `SELECT COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(effective_at)), 0)::float8 AS lag FROM scheduled_changes WHERE status = $1 AND effective_at <= clock_timestamp()`,
      [ScheduledChangeStatus.Pending],
    );
    return Number(row.lag);
  }
}
