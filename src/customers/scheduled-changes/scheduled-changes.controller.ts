import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../../auth/admin-auth.decorator';
import { CurrentWriteContext } from '../../auth/current-write-context.decorator';
import { ApiProblemResponses, fieldProblem, exampleOf } from '../../http/api-problem-responses.decorator';
import type { WriteContext } from '../../http/request-context';
import { uuidParamMessage, uuidParamPipe } from '../../http/uuid-param';
import { CustomerIdParam, CustomerIdPipe, REFERENCE_CUSTOMER_ID } from '../customer-id.pipe';
import { customerArchived, scheduledChangeNotPending } from '../customer.errors';
import { ListScheduledChangesQueryDto } from './dto/list-scheduled-changes-query.dto';
import { EFFECTIVE_AT_RULE, ScheduleCustomerChangeDto } from './dto/schedule-customer-change.dto';
import { EXAMPLE_SCHEDULED_CHANGE_ID, ScheduledChangePageDto, ScheduledChangeResponseDto } from './dto/scheduled-change-response.dto';
import { ScheduledChangeStatus } from './scheduled-change.entity';
import { ScheduledChangesService } from './scheduled-changes.service';

const ScheduledChangeIdPipe = uuidParamPipe('scheduled_change_id', EXAMPLE_SCHEDULED_CHANGE_ID);
const ScheduledChangeIdParam = () =>
  ApiParam({ name: 'scheduled_change_id', description: 'Scheduled change UUID', format: 'uuid', example: EXAMPLE_SCHEDULED_CHANGE_ID });

const PENDING_EXAMPLE: ScheduledChangeResponseDto = {
  scheduled_change_id: EXAMPLE_SCHEDULED_CHANGE_ID,
  customer_id: REFERENCE_CUSTOMER_ID,
  effective_at: '2027-03-31T00:00:00Z',
  changes: { tier: 'growth' } as ScheduledChangeResponseDto['changes'],
  status: ScheduledChangeStatus.Pending,
  created_at: '2026-12-01T10:00:00Z',
  applied_at: null,
  failure: null,
};

const NOT_PENDING_PROBLEM = exampleOf(scheduledChangeNotPending(EXAMPLE_SCHEDULED_CHANGE_ID, ScheduledChangeStatus.Applied, 'applied at 2027-03-31T00:00:00Z'));

@ApiTags('scheduled changes')
@AdminAuth()
@Controller('admin/customers/:customer_id/scheduled-changes')
export class ScheduledChangesController {
  constructor(private readonly scheduledChanges: ScheduledChangesService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    operationId: 'scheduleCustomerChange',
    summary: 'Schedule Customer Change',
    description:
      'Schedules a partial update (the fields of a PUT) to take effect at `effective_at`: it is validated now as a PUT would be (a bad tier is a 400 today), ' +
      "then applied within about a second of its time, exactly once, through the same path as a PUT (the customer's values at that time, version bump, " +
      "`customer.updated` event with the actor `scheduled-change:{scheduled_change_id}`, webhooks). A customer's changes apply in `effective_at` order. " +
      'A change that cannot apply then (the customer archived meanwhile, contract dates no longer in order) ends `failed` with the reason, and the customer is left untouched.',
  })
  @CustomerIdParam()
  @ApiCreatedResponse({ type: ScheduledChangeResponseDto, description: 'The scheduled change, pending.', example: PENDING_EXAMPLE })
  @ApiProblemResponses([400, fieldProblem('effective_at', EFFECTIVE_AT_RULE)], 403, 404, [409, exampleOf(customerArchived(REFERENCE_CUSTOMER_ID))], 413, 415)
  schedule(
    @Param('customer_id', CustomerIdPipe) customerId: string,
    @Body() dto: ScheduleCustomerChangeDto,
    @CurrentWriteContext() context: WriteContext,
  ): Promise<ScheduledChangeResponseDto> {
    return this.scheduledChanges.schedule(customerId, dto, context);
  }

  @Get()
  @ApiOperation({
    operationId: 'listScheduledChanges',
    summary: 'List Scheduled Changes',
    description: "The customer's scheduled changes, newest first (by when they were scheduled), optionally only one status.",
  })
  @CustomerIdParam()
  @ApiOkResponse({ type: ScheduledChangePageDto, example: { data: [PENDING_EXAMPLE], has_more: false, next_cursor: null } })
  @ApiProblemResponses([400, fieldProblem('status', 'status must be one of: pending, applied, canceled, failed')], 404)
  list(@Param('customer_id', CustomerIdPipe) customerId: string, @Query() query: ListScheduledChangesQueryDto): Promise<ScheduledChangePageDto> {
    return this.scheduledChanges.list(customerId, query);
  }

  @Get(':scheduled_change_id')
  @ApiOperation({
    operationId: 'getScheduledChange',
    summary: 'Get Scheduled Change',
    description: 'One scheduled change, with its status, when it was applied or why it failed.',
  })
  @CustomerIdParam()
  @ScheduledChangeIdParam()
  @ApiOkResponse({ type: ScheduledChangeResponseDto, example: PENDING_EXAMPLE })
  @ApiProblemResponses([400, fieldProblem('scheduled_change_id', uuidParamMessage('scheduled_change_id', EXAMPLE_SCHEDULED_CHANGE_ID))], 404)
  findOne(
    @Param('customer_id', CustomerIdPipe) customerId: string,
    @Param('scheduled_change_id', ScheduledChangeIdPipe) scheduledChangeId: string,
  ): Promise<ScheduledChangeResponseDto> {
    return this.scheduledChanges.findOne(customerId, scheduledChangeId);
  }

  @Delete(':scheduled_change_id')
  @ApiOperation({
    operationId: 'cancelScheduledChange',
    summary: 'Cancel Scheduled Change',
    description:
      'Cancels a pending change: it will not apply. Canceling a canceled change changes nothing (200); an applied or failed one is 409 (it already took its course).',
  })
  @CustomerIdParam()
  @ScheduledChangeIdParam()
  @ApiOkResponse({
    type: ScheduledChangeResponseDto,
    description: 'The change, canceled.',
    example: { ...PENDING_EXAMPLE, status: ScheduledChangeStatus.Canceled },
  })
  @ApiProblemResponses([400, fieldProblem('scheduled_change_id', uuidParamMessage('scheduled_change_id', EXAMPLE_SCHEDULED_CHANGE_ID))], 403, 404, [
    409,
    NOT_PENDING_PROBLEM,
  ])
  cancel(
    @Param('customer_id', CustomerIdPipe) customerId: string,
    @Param('scheduled_change_id', ScheduledChangeIdPipe) scheduledChangeId: string,
  ): Promise<ScheduledChangeResponseDto> {
    return this.scheduledChanges.cancel(customerId, scheduledChangeId);
  }
}
