import { ApiProperty, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { CustomerEventType } from '../../../events/customer-event.entity';
import { IsPosition } from '../../../events/position';
import { PageQueryDto } from '../../../http/pagination.dto';

const EVENT_TYPES = Object.values(CustomerEventType);
const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').map((item) => item.trim()) : Array.isArray(value) ? value.flatMap((item) => String(item).split(',')) : value;

/** `GET /admin/events`: every published event after a position, oldest first. */
export class EventFeedQueryDto extends PickType(PageQueryDto, ['limit'] as const) {
  @ApiProperty({
    required: false,
    minimum: 0,
    type: 'integer',
    description: 'A position: the events published after it. Store the last position you processed and pass it here; leave it out for the first page.',
    example: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsPosition('after')
  after?: number;

  @ApiProperty({
    required: false,
    enum: CustomerEventType,
    enumName: 'CustomerEventType',
    isArray: true,
    description: 'Only these types: repeat the parameter (`type=customer.created&type=customer.updated`) or separate them with commas',
  })
  @IsOptional()
  @Transform(toList)
  @IsEnum(CustomerEventType, { each: true, message: `type must be one or more of: ${EVENT_TYPES.join(', ')}` })
  type?: CustomerEventType[];

  @ApiProperty({ required: false, format: 'uuid', description: "Only this customer's events" })
  @IsOptional()
  @IsUUID(undefined, { message: 'customer_id must be a UUID' })
  customer_id?: string;
}
