import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PageDtoOf } from '../../../http/pagination.dto';
import { formatOptionalTimestamp, formatTimestamp } from '../../../http/timestamps';
import { UpdateCustomerDto } from '../../dto/update-customer.dto';
import { ScheduledChange, ScheduledChangeStatus } from '../scheduled-change.entity';

export const EXAMPLE_SCHEDULED_CHANGE_ID = '0f6e2d4c-9b1a-4c8e-a7d3-5e2f1b0c9a84';

/** A customer change scheduled for a later time. */
@ApiSchema({ name: 'ScheduledChange' })
export class ScheduledChangeResponseDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_SCHEDULED_CHANGE_ID })
  scheduled_change_id: string;

  @ApiProperty({ format: 'uuid', example: '550e8400-e29b-41d4-a716-446655440000' })
  customer_id: string;

  @ApiProperty({ description: 'When it takes effect (UTC, whole seconds)', format: 'date-time', example: '2027-03-31T00:00:00Z' })
  effective_at: string;

  @ApiProperty({ description: 'The PUT fields it applies', type: UpdateCustomerDto, example: { tier: 'growth' } })
  changes: UpdateCustomerDto;

  @ApiProperty({
    enum: ScheduledChangeStatus,
    enumName: 'ScheduledChangeStatus',
    description:
      'pending until applied; applied; canceled (DELETE while pending); failed (it could not apply then: see `failure`; the customer was left untouched)',
    example: ScheduledChangeStatus.Pending,
  })
  status: ScheduledChangeStatus;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T10:00:00Z' })
  created_at: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was applied; null unless applied', example: null })
  applied_at: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why it could not be applied (status failed); null otherwise',
    example: null,
  })
  failure: string | null;
}

@ApiSchema({ name: 'ScheduledChangePage' })
export class ScheduledChangePageDto extends PageDtoOf(ScheduledChangeResponseDto, 'scheduled changes') {}

export function toScheduledChangeResponse(change: ScheduledChange): ScheduledChangeResponseDto {
  return {
    scheduled_change_id: change.scheduled_change_id,
    customer_id: change.customer_id,
    effective_at: formatTimestamp(change.effective_at),
    changes: change.changes,
    status: change.status,
    created_at: formatTimestamp(change.created_at),
    applied_at: formatOptionalTimestamp(change.applied_at),
    failure: change.failure,
  };
}
