import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../http/problem.exception';
import { CUSTOMER_ARCHIVED, CUSTOMER_ERASED, CUSTOMER_NOT_ARCHIVED, EXTERNAL_ID_TAKEN, SCHEDULED_CHANGE_NOT_PENDING } from '../http/problem-types';

export function customerNotFound(customerId: string): ProblemException {
  return new ProblemException(HttpStatus.NOT_FOUND, `No customer has customer_id ${customerId}.`, [
    { field: 'customer_id', message: 'no customer with this id' },
  ]);
}

export function customerArchived(customerId: string): ProblemException {
  return new ProblemException(
    HttpStatus.CONFLICT,
    `Customer ${customerId} is archived, so it cannot be changed: restore it first (POST /admin/customers/${customerId}/restore).`,
    [{ field: 'customer_id', message: 'the customer is archived' }],
    CUSTOMER_ARCHIVED,
  );
}

export function customerNotArchived(customerId: string): ProblemException {
  return new ProblemException(
    HttpStatus.CONFLICT,
    `Customer ${customerId} is not archived: archive it first (DELETE /admin/customers/${customerId}); only an archived customer can be erased.`,
    [{ field: 'customer_id', message: 'the customer is not archived' }],
    CUSTOMER_NOT_ARCHIVED,
  );
}

export function customerErased(customerId: string): ProblemException {
  return new ProblemException(
    HttpStatus.CONFLICT,
    `Customer ${customerId} was erased: it cannot be restored or changed.`,
    [{ field: 'customer_id', message: 'the customer was erased' }],
    CUSTOMER_ERASED,
  );
}

export function externalIdTaken(externalId: string, holder: string | undefined): ProblemException {
  const who = holder ? `customer ${holder}` : 'another customer';
  return new ProblemException(
    HttpStatus.CONFLICT,
    `external_id ${JSON.stringify(externalId)} belongs to ${who}; an external id identifies one customer.`,
    [{ field: 'external_id', message: `already the external_id of ${who}` }],
    EXTERNAL_ID_TAKEN,
  );
}

export function scheduledChangeNotFound(customerId: string, scheduledChangeId: string): ProblemException {
  return new ProblemException(HttpStatus.NOT_FOUND, `Customer ${customerId} has no scheduled change ${scheduledChangeId}.`, [
    { field: 'scheduled_change_id', message: 'no scheduled change with this id for this customer' },
  ]);
}

export function scheduledChangeNotPending(scheduledChangeId: string, status: string, why: string): ProblemException {
  return new ProblemException(
    HttpStatus.CONFLICT,
    `Scheduled change ${scheduledChangeId} is ${status} (${why}): only a pending change can be canceled.`,
    [{ field: 'scheduled_change_id', message: `the scheduled change is ${status}, not pending` }],
    SCHEDULED_CHANGE_NOT_PENDING,
  );
}
