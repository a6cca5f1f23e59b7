import { applyDecorators } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';

/** A place in the published event feed (customer_event_stream.position): a request field (a query parameter also needs `@Type(() => Number)`). */
export function IsPosition(field: string): PropertyDecorator {
  const message = `${field} must be a position: a whole number from 0`;
  return applyDecorators(IsInt({ message }), Min(0, { message }), Max(Number.MAX_SAFE_INTEGER, { message }));
}
