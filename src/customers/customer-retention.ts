import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/environment';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';

const SWEEP_INTERVAL_MS = 3_600_000;
const BATCH = 100;
export const RETENTION_ACTOR = 'system:retention';

/**
 * CUSTOMER_ERASE_ARCHIVED_AFTER_DAYS: at start-up and then hourly, every instance erases customers
 * archived longer ago than that. Exactly once across instances without coordination: each erasure
 * goes through the customer's write path (row lock), where a customer already erased is a no-op
 * with no event.
 */
@Injectable()
export class CustomerRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CustomerRetention.name);
  private readonly days?: number;
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly customers: CustomersService,
    private readonly repository: CustomersRepository,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.days = config.get('CUSTOMER_ERASE_ARCHIVED_AFTER_DAYS', { infer: true });
  }

  onApplicationBootstrap(): void {
    if (this.days === undefined) return;
    this.sweepInBackground();
    this.timer = setInterval(() => this.sweepInBackground(), SWEEP_INTERVAL_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.sweeping;
  }

  private sweepInBackground(): void {
    this.sweeping ??= this.sweep()
      .then(() => undefined)
      .catch((error: Error) => this.logger.warn(`Erasing archived customers failed: ${error.message}; trying again within the hour`))
      .finally(() => (this.sweeping = undefined));
  }

  /** Erases every customer archived more than `days` ago; returns how many this instance erased. */
  async sweep(): Promise<number> {
    let erased = 0;
    for (let batch = await this.repository.archivedBefore(this.days!, BATCH); batch.length > 0 && !this.stopped;) {
      for (const customerId of batch) {
        // Another instance may have erased it since the query: then this erase changes nothing.
        if ((await this.customers.erase(customerId, { actor: RETENTION_ACTOR, requestId: null })).changed) erased++;
      }
      batch = batch.length === BATCH ? await this.repository.archivedBefore(this.days!, BATCH) : [];
    }
    if (erased > 0) this.logger.log(`Erased ${erased} customers archived more than ${this.days} days ago (CUSTOMER_ERASE_ARCHIVED_AFTER_DAYS)`);
    return erased;
  }
}
