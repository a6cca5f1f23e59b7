import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CustomersService, REFERENCE_CUSTOMER_ID } from './customers.service';

/** True when the app runs on the embedded database it started: only then is the reference customer seeded. */
export const SEED_REFERENCE_CUSTOMER = Symbol('SEED_REFERENCE_CUSTOMER');

/** Seeds the reference's Acme Financial into an empty embedded database, so the reference's curl examples work as printed. */
@Injectable()
export class ReferenceCustomerSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    private readonly customers: CustomersService,
    @Inject(SEED_REFERENCE_CUSTOMER) private readonly enabled: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.enabled && (await this.customers.seedReferenceCustomerIfEmpty())) {
      this.logger.log(`Empty embedded database: inserted the reference customer Acme Financial (${REFERENCE_CUSTOMER_ID})`);
    }
  }
}
