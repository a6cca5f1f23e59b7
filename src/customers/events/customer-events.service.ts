import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { Page, PageQueryDto, toPage } from '../../common/pagination.dto';
import { ProblemException } from '../../common/problem.exception';
import { customerNotFound } from '../customers.service';
import { CustomerEvent } from './customer-event.entity';
import { CustomerEventResponseDto, toCustomerEventResponse } from './dto/customer-event-response.dto';

@Injectable()
export class CustomerEventsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Newest first, keyset-paginated on (created_at, event_id); the cursor is the last event's id. As in
   * the customer list, an unknown customer or cursor matches nothing, so only an empty page pays for
   * telling them apart (a page is otherwise one query).
   */
  async list(customerId: string, { limit, starting_after }: PageQueryDto): Promise<Page<CustomerEventResponseDto>> {
    const wellFormed = starting_after === undefined || isUUID(starting_after);
    const rows: CustomerEvent[] = !wellFormed ? [] : await this.dataSource.query(
      `SELECT * FROM customer_events
       WHERE customer_id = $1
         AND ($2::uuid IS NULL OR (created_at, event_id) < (SELECT created_at, event_id FROM customer_events WHERE event_id = $2 AND customer_id = $1))
       ORDER BY created_at DESC, event_id DESC
       LIMIT $3`,
      [customerId, starting_after ?? null, limit + 1],
    );
    if (rows.length === 0) {
      const [customer] = await this.dataSource.query('SELECT 1 FROM customers WHERE customer_id = $1', [customerId]);
      if (!customer) throw customerNotFound(customerId);
      if (starting_after !== undefined) {
        const [cursor] = wellFormed
          ? await this.dataSource.query('SELECT 1 FROM customer_events WHERE event_id = $1 AND customer_id = $2', [starting_after, customerId])
          : [];
        if (!cursor) throw invalidCursor();
      }
    }
    return toPage(rows, limit, (row) => row.event_id, toCustomerEventResponse);
  }
}

function invalidCursor(): ProblemException {
  return ProblemException.field('starting_after', "starting_after is not a cursor of this customer's events; pass a page's next_cursor");
}
