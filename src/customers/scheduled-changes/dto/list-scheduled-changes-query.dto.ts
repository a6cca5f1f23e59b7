import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../http/pagination.dto';
import { ScheduledChangeStatus } from '../scheduled-change.entity';

const STATUSES = Object.values(ScheduledChangeStatus);

/** `GET /admin/customers/{customer_id}/scheduled-changes`: newest first, optionally one status. */
export class ListScheduledChangesQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: ScheduledChangeStatus, enumName: 'ScheduledChangeStatus', description: 'Only changes with this status' })
  @IsOptional()
  @IsEnum(ScheduledChangeStatus, { message: `status must be one of: ${STATUSES.join(', ')}` })
  status?: ScheduledChangeStatus;
}
