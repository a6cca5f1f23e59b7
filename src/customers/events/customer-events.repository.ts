import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KeysetPages, KeysetRows } from '../../database/keyset-pages';
import { typeormPool } from '../../database/typeorm-pool';
import { CustomerEvent } from '../../events/customer-event.entity';

/** The event queries of the audit trail API. */
@Injectable()
export class CustomerEventsRepository {
  private pages?: KeysetPages<CustomerEvent>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A customer's events, newest first on (created_at, event_id). */
  page(customerId: string, afterEventId: string | undefined, limit: number): Promise<KeysetRows<CustomerEvent>> {
    this.pages ??= new KeysetPages(this.dataSource, CustomerEvent, {
      table: 'customer_events',
      order: ['created_at', 'event_id'],
      id: 'event_id',
      scope: ['customer_id'],
    });
    return this.pages.read({ scope: { customer_id: customerId }, afterId: afterEventId, limit });
  }

  /**
   * Published events after `after`, in position order (the relay's commit order); `limit + 1` rows
   * tell whether more follow. With a customer, the customer's own events are found first (its index)
   * rather than the whole feed scanned for them.
   */
  async feed(filter: { after: number; types?: string[]; customerId?: string }, limit: number): Promise<PublishedEvent[]> {
    const columns = 's.position, e.event_id, e.customer_id, e.type, e.actor, e.request_id, e.changes, e.created_at';
    const typeFilter = '($2::text[] IS NULL OR e.type = ANY ($2))';
    const { rows } = await typeormPool(this.dataSource).query<Omit<PublishedEvent, 'position'> & { position: string | number }>(
      filter.customerId === undefined
        ? `SELECT ${columns} FROM customer_event_stream s JOIN customer_events e USING (event_id)
           WHERE s.position > $1 AND ${typeFilter} ORDER BY s.position LIMIT $3`
        : `SELECT ${columns} FROM customer_events e JOIN customer_event_stream s USING (event_id)
           WHERE e.customer_id = $4 AND s.position > $1 AND ${typeFilter} ORDER BY s.position LIMIT $3`,
      [filter.after, filter.types ?? null, limit + 1, ...(filter.customerId === undefined ? [] : [filter.customerId])],
    );
    return rows.map((row) => ({ ...row, position: Number(row.position) }));
  }
}

/** An event with its place in the feed. */
export type PublishedEvent = Pick<CustomerEvent, 'event_id' | 'customer_id' | 'type' | 'actor' | 'request_id' | 'changes' | 'created_at'> & {
  position: number;
};
