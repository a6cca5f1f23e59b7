import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CustomerEvent } from '../../events/customer-event.entity';

/** The event queries of the audit trail API. */
@Injectable()
export class CustomerEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Newest first, keyset-paginated on (created_at, event_id); `limit + 1` rows tell whether more follow. */
  page(customerId: string, afterEventId: string | undefined, limit: number): Promise<CustomerEvent[]> {
    const query = this.dataSource.manager.createQueryBuilder(CustomerEvent, 'event').where('event.customer_id = :customerId', { customerId });
    if (afterEventId) {
      query.andWhere(
        '(event.created_at, event.event_id) < (SELECT cursor.created_at, cursor.event_id FROM customer_events cursor WHERE cursor.event_id = :after AND cursor.customer_id = :customerId)',
        { after: afterEventId },
      );
    }
    return query
      .orderBy('event.created_at', 'DESC')
      .addOrderBy('event.event_id', 'DESC')
      .limit(limit + 1)
      .getMany();
  }

  exists(customerId: string, eventId: string): Promise<boolean> {
    return this.dataSource.manager.existsBy(CustomerEvent, { customer_id: customerId, event_id: eventId });
  }
}
