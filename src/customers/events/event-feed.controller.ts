import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../../auth/admin-auth.decorator';
import { ApiProblemResponses, fieldProblem } from '../../http/api-problem-responses.decorator';
import { CustomerEventsService } from './customer-events.service';
import { CUSTOMER_EVENT_EXAMPLE, PublishedCustomerEventPageDto } from './dto/customer-event-response.dto';
import { EventFeedQueryDto } from './dto/event-feed-query.dto';

@ApiTags('events')
@AdminAuth()
@Controller('admin/events')
export class EventFeedController {
  constructor(private readonly events: CustomerEventsService) {}

  @Get()
  @ApiOperation({
    operationId: 'listEvents',
    summary: 'List Events (the feed)',
    description:
      'Every published customer event, oldest first, in `position` order (the order the relay published them, which is commit order). ' +
      'A consumer that stores the last `position` it processed and asks for `after=` it never misses an event and never sees one twice: ' +
      'an event appears here only once published (within about 100 ms of its commit). `next_cursor` is the last position of the page while more follow. ' +
      'Events are kept as long as the customer (the audit trail is never pruned).',
  })
  @ApiOkResponse({
    type: PublishedCustomerEventPageDto,
    example: {
      data: [{ ...CUSTOMER_EVENT_EXAMPLE, position: 1042 }],
      has_more: false,
      next_cursor: null,
    },
  })
  @ApiProblemResponses([400, fieldProblem('after', 'after must be a position: a whole number from 0')])
  list(@Query() query: EventFeedQueryDto): Promise<PublishedCustomerEventPageDto> {
    return this.events.feed(query);
  }
}
