import { ParseUUIDPipe } from '@nestjs/common';
import { ProblemException } from '../common/problem.exception';

export const CustomerIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => ProblemException.field('customer_id', 'customer_id must be a UUID, e.g. 550e8400-e29b-41d4-a716-446655440000'),
});
