import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ProblemException } from '../common/problem.exception';
import { TierPolicyService } from '../tiers/tier-policy.service';
import { Tier } from '../tiers/tier.enum';
import { CustomerStatus } from './customer-status.enum';
import { Customer } from './customer.entity';
import { CustomerPatch, CustomerState, planCustomerUpdate, planNewCustomer, stateOf } from './customer-changes';

/** The reference's example customer, seeded into an empty embedded database so its curl examples work as printed. */
export const REFERENCE_CUSTOMER_ID = '550e8400-e29b-41d4-a716-446655440000';

@Injectable()
export class CustomersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tierPolicy: TierPolicyService,
  ) {}

  async findOne(customerId: string): Promise<Customer> {
    const customer = await this.dataSource.getRepository(Customer).findOneBy({ customer_id: customerId });
    if (!customer) throw customerNotFound(customerId);
    return customer;
  }

  async create(input: CustomerPatch & { company_name: string; contact_email: string }): Promise<Customer> {
    const state = planNewCustomer(input, this.tierPolicy);
    return this.insert(state);
  }

  /**
   * Read-merge-write in one transaction with the row locked (SELECT ... FOR UPDATE), so concurrent
   * updates serialise instead of overwriting each other. A write that changes nothing writes nothing.
   */
  async update(customerId: string, patch: CustomerPatch): Promise<Customer> {
    return this.dataSource.transaction(async (manager) => {
      const current = await manager
        .createQueryBuilder(Customer, 'customer')
        .setLock('pessimistic_write')
        .where('customer.customer_id = :customerId', { customerId })
        .getOne();
      if (!current) throw customerNotFound(customerId);
      const { next, changes } = planCustomerUpdate(stateOf(current), patch, this.tierPolicy);
      if (Object.keys(changes).length === 0) return current;
      const result = await manager
        .createQueryBuilder()
        .update(Customer)
        .set({ ...toColumns(next), version: () => 'version + 1', updated_at: () => 'now()' })
        .where('customer_id = :customerId', { customerId })
        .returning('*')
        .execute();
      return (result.raw as Customer[])[0];
    });
  }

  /** Inserts the reference's Acme Financial customer when the database has no customers at all. */
  async seedReferenceCustomerIfEmpty(): Promise<boolean> {
    if ((await this.dataSource.getRepository(Customer).count({ take: 1 })) > 0) return false;
    const state = planNewCustomer(
      { company_name: 'Acme Financial', contact_email: 'compliance@acmefinancial.com', tier: Tier.Growth, status: CustomerStatus.Active },
      this.tierPolicy,
    );
    await this.insert(state, REFERENCE_CUSTOMER_ID);
    return true;
  }

  private async insert(state: CustomerState, customerId?: string): Promise<Customer> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(Customer)
      .values({ ...toColumns(state), ...(customerId ? { customer_id: customerId } : {}) })
      .returning('*')
      .execute();
    return (result.raw as Customer[])[0];
  }
}

function toColumns(state: CustomerState) {
  const { rate_limit, ...rest } = state;
  return { ...rest, rate_limit_requests_per_second: rate_limit.requests_per_second, rate_limit_burst: rate_limit.burst };
}

export function customerNotFound(customerId: string): ProblemException {
  return new ProblemException(HttpStatus.NOT_FOUND, `No customer has customer_id ${customerId}.`, [
    { field: 'customer_id', message: 'no customer with this id' },
  ]);
}
