import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateBy, ValidateNested } from 'class-validator';
import { parseTimestamp } from '../../../http/validation';
import { UpdateCustomerDto } from '../../dto/update-customer.dto';

export const MAX_SCHEDULE_YEARS = 10;
const DATE_TIME_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
export const EFFECTIVE_AT_RULE = 'effective_at must be an RFC 3339 date-time with a time zone, e.g. 2027-03-31T00:00:00Z';

/** An RFC 3339 date-time with its zone (a bare date or a local time is ambiguous about when a change happens). */
export function parseDateTimeWithZone(value: unknown): Date | undefined {
  return typeof value === 'string' && DATE_TIME_WITH_ZONE.test(value) ? parseTimestamp(value) : undefined;
}

function IsDateTimeWithZone(): PropertyDecorator {
  return ValidateBy({
    name: 'isDateTimeWithZone',
    validator: { validate: (value) => parseDateTimeWithZone(value) !== undefined, defaultMessage: () => EFFECTIVE_AT_RULE },
  });
}

/** `POST /admin/customers/{customer_id}/scheduled-changes`: a PUT body to apply at `effective_at`. */
@ApiSchema({ name: 'ScheduleCustomerChange' })
export class ScheduleCustomerChangeDto {
  @ApiProperty({
    description: `When the change takes effect: an RFC 3339 date-time with a time zone, in the future and at most ${MAX_SCHEDULE_YEARS} years ahead. Applied within about a second of it.`,
    type: String,
    format: 'date-time',
    example: '2027-03-31T00:00:00Z',
  })
  @IsDefined({ message: 'effective_at is required' })
  @IsDateTimeWithZone()
  effective_at: string;

  @ApiProperty({
    description:
      "The fields of a PUT (`UpdateCustomer`), at least one, validated now as a PUT would be; applied at `effective_at` as a PUT then, with the customer's values at that time.",
    type: UpdateCustomerDto,
    example: { tier: 'growth' },
  })
  @IsDefined({ message: 'changes is required' })
  @IsObject({ message: 'changes must be an object with the fields of a PUT, e.g. { "tier": "growth" }' })
  @ValidateNested()
  @Type(() => UpdateCustomerDto)
  changes: UpdateCustomerDto;
}
