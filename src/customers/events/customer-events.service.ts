import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Page, PageQueryDto, toPage } from '../../common/pagination.dto';
import { ProblemException } from '../../common/problem.exception';
import { customerNotFound } from '../customers.service';
import { CustomerEvent } from './customer-event.entity';
import { CustomerEventResponseDto, toCustomerEventResponse } from './dto/customer-event-response.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class CustomerEventsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Newest first, keyset-paginated on (created_at, event_id); the cursor is the last event's id. */
  async list(customerId: string, { limit, starting_after }: PageQueryDto): Promise<Page<CustomerEventResponseDto>> {
    const [customer] = await this.dataSource.query('SELECT 1 FROM customers WHERE customer_id = $1', [customerId]);
    if (!customer) throw customerNotFound(customerId);
    if (starting_after !== undefined) {
      const [cursor] = UUID.test(starting_after)
        ? await this.dataSource.query('SELECT 1 FROM customer_events WHERE event_id = $1 AND customer_id = $2', [starting_after, customerId])
        : [];
      if (!cursor) throw ProblemException.field('starting_after', "starting_after is not a cursor of this customer's events; pass a page's next_cursor");
    }
    const rows: CustomerEvent[] = await this.dataSource.query(
      `SELECT * FROM customer_events
       WHERE customer_id = $1
         AND ($2::uuid IS NULL OR (created_at, event_id) < (SELECT created_at, event_id FROM customer_events WHERE event_id = $2))
       ORDER BY created_at DESC, event_id DESC
       LIMIT $3`,
      [customerId, starting_after ?? null, limit + 1],
    );
    return toPage(rows, limit, (row) => row.event_id, toCustomerEventResponse);
  }
}
