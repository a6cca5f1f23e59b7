import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../../auth/admin-auth.decorator';
import { ApiProblemResponses } from '../../common/api-problem-responses.decorator';
import { PageQueryDto } from '../../common/pagination.dto';
import { CustomerIdPipe } from '../customer-id.pipe';
import { CustomerEventsService } from './customer-events.service';
import { CustomerEventPageDto } from './dto/customer-event-response.dto';

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
  @ApiParam({ name: 'customer_id', description: 'Customer UUID', format: 'uuid' })
  @ApiOkResponse({ type: CustomerEventPageDto })
  @ApiProblemResponses(400, 404)
  list(@Param('customer_id', CustomerIdPipe) customerId: string, @Query() query: PageQueryDto): Promise<CustomerEventPageDto> {
    return this.events.list(customerId, query);
  }
}
