import { Injectable } from '@nestjs/common';
import { Page, PageQueryDto, keysetPage, toPage } from '../../http/pagination.dto';
import { EventFeedQueryDto } from './dto/event-feed-query.dto';
import { customerNotFound } from '../customer.errors';
import { CustomersRepository } from '../customers.repository';
import { CustomerEventsRepository } from './customer-events.repository';
import { CustomerEventResponseDto, PublishedCustomerEventDto, toCustomerEventResponse } from './dto/customer-event-response.dto';

@Injectable()
export class CustomerEventsService {
  constructor(
    private readonly events: CustomerEventsRepository,
    private readonly customers: CustomersRepository,
  ) {}

  /** Newest first; an empty page of an unknown customer is a 404. */
  list(customerId: string, query: PageQueryDto): Promise<Page<CustomerEventResponseDto>> {
    return keysetPage(query, (afterId) => this.events.page(customerId, afterId, query.limit), {
      idOf: (row) => row.event_id,
      map: toCustomerEventResponse,
      whenEmpty: async () => {
        if (!(await this.customers.exists(customerId))) throw customerNotFound(customerId);
      },
    });
  }

  /** The feed: published events after a position, oldest first; `next_cursor` is the page's last position while more follow. */
  async feed(query: EventFeedQueryDto): Promise<Page<PublishedCustomerEventDto>> {
    const rows = await this.events.feed({ after: query.after ?? 0, types: query.type, customerId: query.customer_id }, query.limit);
    return toPage(
      rows,
      query.limit,
      (row) => String(row.position),
      (row) => ({ ...toCustomerEventResponse(row), position: row.position }),
    );
  }
}
