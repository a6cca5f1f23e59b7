import { ApiProperty, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { CustomerEventType } from '../../../events/customer-event.entity';
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
  @IsInt({ message: 'after must be a position: a whole number from 0' })
  @Min(0, { message: 'after must be a position: a whole number from 0' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'after must be a position: a whole number from 0' })
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
