import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../http/problem.exception';

export function customerNotFound(customerId: string): ProblemException {
  return new ProblemException(HttpStatus.NOT_FOUND, `No customer has customer_id ${customerId}.`, [
    { field: 'customer_id', message: 'no customer with this id' },
  ]);
}
