import { Injectable } from '@nestjs/common';
import { Page, PageQueryDto, keysetPage } from '../../http/pagination.dto';
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
}
