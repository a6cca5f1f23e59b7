import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { readWithOneRetry } from '../database/database-errors';
import { EntityRows, Row } from '../database/entity-rows';
import { inPoolTransaction } from '../database/pool-transaction';
import { typeormPool } from '../database/typeorm-pool';
import type { CustomerEventType, CustomerSnapshot } from '../events/customer-event.entity';
import type { WriteContext } from '../http/request-context';
import { CustomerChanges, CustomerState } from './customer-changes';
import { Customer } from './customer.entity';

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

interface Statement {
  name: string;
  text: string;
}

/** A customer write transaction's connection (see `writeTransaction`). */
export type CustomerTransaction = Pick<PoolClient, 'query'>;

/** What an event records: its type, the changes, and the customer after them (built by the service). */
export interface CustomerEventRecord {
  type: CustomerEventType;
  changes: CustomerChanges;
  snapshot: CustomerSnapshot;
}

interface CompiledStatements {
  rows: EntityRows<Customer>;
  byId: Statement;
  lockById: Statement;
  /** Every editable column from the entity ($2…), version + 1, updated_at: one statement shape for any change. */
  update: Statement;
  insertEvent: Statement;
}

/** Filters in the order their conditions are added; a page's statement is named by which are present. */
const LIST_FILTERS = [
  ['tier', (p: string) => `tier = ${p}`],
  ['status', (p: string) => `status = ${p}`],
  ['email', (p: string) => `contact_email = ${p}`],
  ['namePrefix', (p: string) => `lower(company_name) LIKE ${p}`],
  ['createdGte', (p: string) => `created_at >= ${p}`],
  ['createdLt', (p: string) => `created_at < ${p}`],
  ['afterCustomerId', (p: string) => `(created_at, customer_id) < (SELECT c.created_at, c.customer_id FROM customers c WHERE c.customer_id = ${p})`],
] as const satisfies readonly (readonly [keyof CustomerListFilter, (parameter: string) => string])[];

/**
 * Every customer query: the service above it reads as business steps.
 *
 * The hot paths (read by id, list pages, and the update: locked read, update with RETURNING, event
 * insert) are named prepared statements on TypeORM's own pool, derived once from the entity's
 * metadata (EntityRows), so a new column needs no change here. Creation (rare, and idempotent
 * through the entity manager) goes through TypeORM.
 */
@Injectable()
export class CustomersRepository {
  private readonly pages = new Map<string, Statement>();
  private compiled?: CompiledStatements;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The statements, derived from the entity's metadata on first use. */
  private get sql(): CompiledStatements {
    if (!this.compiled) {
      const rows = new EntityRows(this.dataSource, Customer);
      const assignments = rows.editableColumns.map((column, index) => `"${column}" = $${index + 2}`).join(', ');
      this.compiled = {
        rows,
        byId: { name: 'customer_by_id', text: `SELECT ${rows.selectList} FROM customers WHERE customer_id = $1` },
        lockById: { name: 'customer_lock_by_id', text: `SELECT ${rows.selectList} FROM customers WHERE customer_id = $1 FOR UPDATE` },
        update: {
          name: 'customer_update',
          text: `UPDATE customers SET ${assignments}, version = version + 1, updated_at = CURRENT_TIMESTAMP WHERE customer_id = $1 RETURNING version, updated_at`,
        },
        insertEvent: {
          name: 'customer_event_insert',
          text: 'INSERT INTO customer_events (customer_id, type, actor, request_id, changes, customer) VALUES ($1, $2, $3, $4, $5, $6)',
        },
      };
    }
    return this.compiled;
  }

  private async read(statement: Statement, values: unknown[]): Promise<Customer[]> {
    const { rows } = await readWithOneRetry(() => typeormPool(this.dataSource).query<Row>({ ...statement, values }));
    return rows.map((row) => this.sql.rows.hydrate(row));
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A transaction for `lockForUpdate` and `updateWithEvent`, on a pooled connection of its own. */
  writeTransaction<T>(work: (transaction: CustomerTransaction) => Promise<T>): Promise<T> {
    return inPoolTransaction(typeormPool(this.dataSource), work);
  }

  async findById(customerId: string): Promise<Customer | null> {
    const [customer] = await this.read(this.sql.byId, [customerId]);
    return customer ?? null;
  }

  exists(customerId: string): Promise<boolean> {
    return readWithOneRetry(() => this.dataSource.manager.existsBy(Customer, { customer_id: customerId }));
  }

  async isEmpty(): Promise<boolean> {
    return !(await this.dataSource.manager.exists(Customer));
  }

  /** Locks the row until the transaction ends (SELECT … FOR UPDATE), so concurrent writers serialise. */
  async lockForUpdate(transaction: CustomerTransaction, customerId: string): Promise<Customer | null> {
    const { rows } = await transaction.query<Row>({ ...this.sql.lockById, values: [customerId] });
    return rows.length ? this.sql.rows.hydrate(rows[0]) : null;
  }

  /**
   * Newest first, keyset-paginated on (created_at, customer_id); every filter is served by an index
   * in that order (see the CustomerListIndexes migration). `limit + 1` rows tell whether more follow.
   */
  page(filter: CustomerListFilter, limit: number): Promise<Customer[]> {
    const present = LIST_FILTERS.filter(([name]) => filter[name] !== undefined && filter[name] !== '');
    const key = present.map(([name]) => name).join(',');
    let statement = this.pages.get(key);
    if (!statement) {
      const conditions = present.map(([, condition], index) => condition(`$${index + 1}`));
      statement = {
        name: `customer_page_${this.pages.size}`,
        text: `SELECT ${this.sql.rows.selectList} FROM customers ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
               ORDER BY created_at DESC, customer_id DESC LIMIT $${conditions.length + 1}`,
      };
      this.pages.set(key, statement);
    }
    const values = present.map(([name]) => (name === 'namePrefix' ? `${escapeLike(filter.namePrefix!.toLowerCase())}%` : filter[name]));
    return this.read(statement, [...values, limit + 1]);
  }

  /** Inserts a customer in the entity manager's transaction; generated columns are filled into the returned entity. */
  async insert(manager: EntityManager, state: CustomerState, customerId?: string): Promise<Customer> {
    const customer = manager.create(Customer, { ...state, ...(customerId ? { customer_id: customerId } : {}) });
    await manager.insert(Customer, customer);
    return customer;
  }

  /** Records an event in the entity manager's transaction (creation). */
  async insertEventWith(manager: EntityManager, customerId: string, event: CustomerEventRecord, context: WriteContext): Promise<void> {
    await manager.query(this.sql.insertEvent.text, eventValues(customerId, event, context));
  }

  /**
   * Merges the changed fields into the locked entity and writes it. The UPDATE adds
   * `version = version + 1` and `updated_at = CURRENT_TIMESTAMP` and returns both (RETURNING), so
   * no re-read follows.
   */
  async update(transaction: CustomerTransaction, customer: Customer, next: CustomerState, changes: CustomerChanges): Promise<Customer> {
    for (const field of Object.keys(changes) as (keyof CustomerState)[]) (customer as CustomerState)[field] = next[field] as never;
    const values = [customer.customer_id, ...this.sql.rows.editableValues(customer)];
    const { rows } = await transaction.query<Pick<Customer, 'version' | 'updated_at'>>({ ...this.sql.update, values });
    customer.version = rows[0].version;
    customer.updated_at = rows[0].updated_at;
    return customer;
  }

  /** Records an event in a write transaction (`writeTransaction`). */
  async insertEvent(transaction: CustomerTransaction, customerId: string, event: CustomerEventRecord, context: WriteContext): Promise<void> {
    await transaction.query({ ...this.sql.insertEvent, values: eventValues(customerId, event, context) });
  }
}

function eventValues(customerId: string, { type, changes, snapshot }: CustomerEventRecord, context: WriteContext): unknown[] {
  return [customerId, type, context.actor, context.requestId, JSON.stringify(changes), JSON.stringify(snapshot)];
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}
