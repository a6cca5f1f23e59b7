import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, invalidCursor } from '../../http/cursor';
import { Page, PageQueryDto, toPage } from '../../http/pagination.dto';
import { customerNotFound } from '../customer.errors';
import { CustomersRepository } from '../customers.repository';
import { CustomerEventsRepository } from './customer-events.repository';
import { CustomerEventResponseDto, toCustomerEventResponse } from './dto/customer-event-response.dto';

@Injectable()
export class CustomerEventsService {
  constructor(
    private readonly events: CustomerEventsRepository,
    private readonly customers: CustomersRepository,
  ) {}

  /**
   * Newest first. As in the customer list, an unknown customer or cursor matches nothing, so only an
   * empty page pays for telling them apart (a page is otherwise one query).
   */
  async list(customerId: string, { limit, starting_after }: PageQueryDto): Promise<Page<CustomerEventResponseDto>> {
    const afterEventId = starting_after === undefined ? undefined : decodeCursor(starting_after);
    const rows = await this.events.page(customerId, afterEventId, limit);
    if (rows.length === 0) {
      if (!(await this.customers.exists(customerId))) throw customerNotFound(customerId);
      if (afterEventId && !(await this.events.exists(customerId, afterEventId))) throw invalidCursor();
    }
    return toPage(rows, limit, (row) => encodeCursor(row.event_id), toCustomerEventResponse);
  }
}
