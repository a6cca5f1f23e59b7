import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../http/problem.exception';
import { isLockTimeout } from '../database/database-errors';
import { CUSTOMER_BUSY } from '../http/problem-types';

export const CUSTOMER_BUSY_RETRY_AFTER_SECONDS = 1;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Writes to one customer take turns in this process before they take a database connection, so a
 * hot customer holds at most one pooled connection per process (waiting on its row lock) instead of
 * one per queued request, and every other customer keeps the rest of the pool. At most `maxWaiting`
 * writes wait per customer; the next gets 429 with Retry-After. When the active write gives up on
 * the row lock (another process or session holds it past lock_timeout), the waiting ones are
 * answered the same way rather than each waiting out the timeout again.
 */
export class CustomerWriteQueue {
  private readonly lanes = new Map<string, Waiter[]>();

  constructor(readonly maxWaiting: number) {}

  async run<T>(customerId: string, work: () => Promise<T>): Promise<T> {
    const waiting = this.lanes.get(customerId);
    if (!waiting) {
      this.lanes.set(customerId, []);
    } else {
      if (waiting.length >= this.maxWaiting) {
        throw customerBusy(customerId, `${waiting.length + 1} changes to it are already in progress here, the most this service queues per customer`);
      }
      await new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
    }
    const lane = this.lanes.get(customerId)!;
    try {
      return await work();
    } catch (error) {
      if (!isLockTimeout(error)) throw error;
      const busy = customerBusy(customerId, 'another writer has held its row longer than the lock timeout');
      for (const waiter of lane.splice(0)) waiter.reject(busy);
      throw busy;
    } finally {
      const next = lane.shift();
      if (next) next.resolve();
      else this.lanes.delete(customerId);
    }
  }
}

export function customerBusy(customerId: string, why: string): ProblemException {
  return new ProblemException(
    HttpStatus.TOO_MANY_REQUESTS,
    `Customer ${customerId} is busy: ${why}. Nothing was written; retry after ${CUSTOMER_BUSY_RETRY_AFTER_SECONDS} s.`,
    [{ field: 'customer_id', message: 'this customer is busy with other changes' }],
    CUSTOMER_BUSY,
    { 'Retry-After': String(CUSTOMER_BUSY_RETRY_AFTER_SECONDS) },
  );
}
