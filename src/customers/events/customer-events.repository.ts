import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KeysetPages, KeysetRows } from '../../database/keyset-pages';
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
}
