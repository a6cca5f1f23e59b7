import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { WriteContext } from '../common/request-context';
import { readWithOneRetry } from '../database/database-errors';
import { CustomerChanges, CustomerState } from './customer-changes';
import { Customer } from './customer.entity';
import { CustomerEvent, CustomerEventType } from './events/customer-event.entity';

export interface CustomerListFilter {
  tier?: string;
  status?: string;
  email?: string;
  /** Case-insensitive company name prefix. */
  namePrefix?: string;
  createdGte?: Date;
  createdLt?: Date;
  /** Keyset: customers after this one in (created_at, customer_id) descending order. */
  afterCustomerId?: string;
}

/** Every customer query: the service above it reads as business steps. */
@Injectable()
export class CustomersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findById(customerId: string): Promise<Customer | null> {
    return readWithOneRetry(() => this.dataSource.manager.findOneBy(Customer, { customer_id: customerId }));
  }

  exists(customerId: string): Promise<boolean> {
    return readWithOneRetry(() => this.dataSource.manager.existsBy(Customer, { customer_id: customerId }));
  }

  async isEmpty(): Promise<boolean> {
    return !(await this.dataSource.manager.exists(Customer));
  }

  /** Locks the row until the transaction ends (SELECT … FOR UPDATE), so concurrent writers serialise. */
  lockForUpdate(manager: EntityManager, customerId: string): Promise<Customer | null> {
    return manager.findOne(Customer, { where: { customer_id: customerId }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Newest first, keyset-paginated on (created_at, customer_id); every filter is served by an index
   * in that order (see the CustomerListIndexes migration). `limit + 1` rows tell whether more follow.
   */
  page(filter: CustomerListFilter, limit: number): Promise<Customer[]> {
    const query = this.dataSource.manager.createQueryBuilder(Customer, 'customer');
    if (filter.tier) query.andWhere('customer.tier = :tier', { tier: filter.tier });
    if (filter.status) query.andWhere('customer.status = :status', { status: filter.status });
    if (filter.email) query.andWhere('customer.contact_email = :email', { email: filter.email });
    if (filter.namePrefix) {
      query.andWhere('lower(customer.company_name) LIKE :prefix', { prefix: `${escapeLike(filter.namePrefix.toLowerCase())}%` });
    }
    if (filter.createdGte) query.andWhere('customer.created_at >= :createdGte', { createdGte: filter.createdGte });
    if (filter.createdLt) query.andWhere('customer.created_at < :createdLt', { createdLt: filter.createdLt });
    if (filter.afterCustomerId) {
      query.andWhere(
        '(customer.created_at, customer.customer_id) < (SELECT cursor.created_at, cursor.customer_id FROM customers cursor WHERE cursor.customer_id = :after)',
        { after: filter.afterCustomerId },
      );
    }
    return readWithOneRetry(() => query.orderBy('customer.created_at', 'DESC').addOrderBy('customer.customer_id', 'DESC').limit(limit + 1).getMany());
  }

  /** Inserts a customer and its `customer.created` event; generated columns are filled into the returned entity. */
  async insertWithEvent(manager: EntityManager, state: CustomerState, changes: CustomerChanges, context: WriteContext, customerId?: string): Promise<Customer> {
    const customer = manager.create(Customer, { ...state, ...(customerId ? { customer_id: customerId } : {}) });
    await manager.insert(Customer, customer);
    await this.insertEvent(manager, customer.customer_id, CustomerEventType.Created, changes, context);
    return customer;
  }

  /**
   * Merges the new state into the locked entity and writes only the changed columns with its event.
   * TypeORM's update adds `version = version + 1` and `updated_at = CURRENT_TIMESTAMP` and returns
   * both into the entity (RETURNING), so no re-read follows, unlike save().
   */
  async updateWithEvent(manager: EntityManager, customer: Customer, next: CustomerState, changes: CustomerChanges, context: WriteContext): Promise<Customer> {
    const changed = Object.fromEntries(Object.keys(changes).map((field) => [field, next[field as keyof CustomerState]]));
    manager.merge(Customer, customer, changed);
    await manager.createQueryBuilder().update(Customer).set(changed).whereEntity(customer).updateEntity(true).execute();
    await this.insertEvent(manager, customer.customer_id, CustomerEventType.Updated, changes, context);
    return customer;
  }

  private async insertEvent(manager: EntityManager, customerId: string, type: CustomerEventType, changes: CustomerChanges, context: WriteContext): Promise<void> {
    await manager.insert(CustomerEvent, { customer_id: customerId, type, actor: context.actor, request_id: context.requestId, changes: changes as QueryDeepPartialEntity<CustomerChanges> });
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}
