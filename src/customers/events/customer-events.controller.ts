import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../../auth/admin-auth.decorator';
import { ApiProblemResponses, fieldProblem } from '../../http/api-problem-responses.decorator';
import { PageQueryDto } from '../../http/pagination.dto';
import { CustomerIdParam, CustomerIdPipe } from '../customer-id.pipe';
import { CustomerEventsService } from './customer-events.service';
import { CUSTOMER_EVENT_EXAMPLE, CustomerEventPageDto } from './dto/customer-event-response.dto';

@ApiTags('customers')
@AdminAuth()
@Controller('admin/customers/:customer_id/events')
export class CustomerEventsController {
  constructor(private readonly events: CustomerEventsService) {}

  @Get()
  @ApiOperation({
    operationId: 'listCustomerEvents',
    summary: 'List Customer Events',
    description:
      "The customer's audit trail, newest first: one `customer.created` event, then one `customer.updated` event per real change " +
      '(a no-op write records nothing), with the actor, the request id and every changed field as `{ from, to }`.',
  })
  @CustomerIdParam()
  @ApiOkResponse({
    type: CustomerEventPageDto,
    example: {
      data: [CUSTOMER_EVENT_EXAMPLE],
      has_more: false,
      next_cursor: null,
    },
  })
  @ApiProblemResponses([400, fieldProblem('starting_after', "starting_after is not a cursor of this list; pass a page's next_cursor")], 404)
  list(@Param('customer_id', CustomerIdPipe) customerId: string, @Query() query: PageQueryDto): Promise<CustomerEventPageDto> {
    return this.events.list(customerId, query);
  }
}
