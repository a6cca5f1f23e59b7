import { Injectable } from '@nestjs/common';
import type { CustomerSnapshot } from './customer-event.entity';

export type CustomerSnapshotReader = (customerId: string) => Promise<CustomerSnapshot | null>;

/**
 * The customer as the API shows it now, for consumers of an event stored without its snapshot
 * (written by a version from before events kept one). The customers feature provides the reader at
 * start-up, so consumers such as webhooks need not know the customers feature.
 */
@Injectable()
export class CustomerSnapshots {
  private reader?: CustomerSnapshotReader;

  provide(reader: CustomerSnapshotReader): void {
    this.reader = reader;
  }

  current(customerId: string): Promise<CustomerSnapshot | null> {
    if (!this.reader) return Promise.reject(new Error('No customer snapshot reader: the customers module provides it at start-up'));
    return this.reader(customerId);
  }
}
