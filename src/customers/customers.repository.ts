import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { WriteContext } from '../http/request-context';
import { readWithOneRetry } from '../database/database-errors';
import { inPoolTransaction } from '../database/pool-transaction';
import { typeormPool } from '../database/typeorm-pool';
import { CustomerChanges, CustomerState } from './customer-changes';
import { Customer } from './customer.entity';
import { toCustomerResponse } from './dto/customer-response.dto';
import { CustomerEventType } from '../events/customer-event.entity';

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

type Row = Record<string, unknown>;

/** A customer write transaction's connection (see `writeTransaction`). */
export type CustomerTransaction = Pick<PoolClient, 'query'>;

interface CompiledStatements {
  assigners: ((customer: Customer, row: Row) => void)[];
  selectList: string;
  byId: Statement;
  lockById: Statement;
  /** Every editable column from the entity ($2…), version + 1, updated_at: one statement shape for any change. */
  update: Statement;
  updateValues: (customer: Customer) => unknown[];
  insertEvent: Statement;
}

/** Column types whose pg value is already the entity's value (bigint and date by the parsers in pg-types.ts). */
const PARSED_BY_PG = new Set(['uuid', 'varchar', 'character varying', 'integer', 'int', 'bigint', 'date', 'jsonb', 'timestamptz', 'timestamp with time zone']);

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
 * The hot paths (read by id, list pages, and the update: locked read, merge into the entity, update
 * with RETURNING, event insert) skip TypeORM's per-call query building, transaction handling and
 * result transformation, which cost more than the statements themselves (BENCHMARKS.md): their SQL
 * is derived once from the entity's metadata, sent as named prepared statements on TypeORM's own
 * pool, and rows are hydrated and written by the same metadata, so a new column needs no change
 * here. Creation (rare, and idempotent through the entity manager) goes through TypeORM.
 */
@Injectable()
export class CustomersRepository {
  private readonly pages = new Map<string, Statement>();
  private compiled?: CompiledStatements;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The entity's columns and the SELECT list, read from TypeORM's metadata on first use. */
  private get sql(): CompiledStatements {
    if (!this.compiled) {
      const { columns } = this.dataSource.getMetadata(Customer);
      const { driver } = this.dataSource;
      const selectList = columns.map((column) => `"${column.databaseName}"`).join(', ');
      const editable = columns.filter(
        (column) => !column.isPrimary && !column.isVersion && !column.isCreateDate && !column.isUpdateDate && !column.isGenerated,
      );
      const assignments = editable.map((column, index) => `"${column.databaseName}" = $${index + 2}`).join(', ');
      this.compiled = {
        assigners: columns.map((column) => this.assignerFor(column)),
        selectList,
        byId: { name: 'customer_by_id', text: `SELECT ${selectList} FROM customers WHERE customer_id = $1` },
        lockById: { name: 'customer_lock_by_id', text: `SELECT ${selectList} FROM customers WHERE customer_id = $1 FOR UPDATE` },
        update: {
          name: 'customer_update',
          text: `UPDATE customers SET ${assignments}, version = version + 1, updated_at = CURRENT_TIMESTAMP WHERE customer_id = $1 RETURNING version, updated_at`,
        },
        updateValues: (customer) => [
          customer.customer_id,
          ...editable.map((column) => driver.preparePersistentValue(column.getEntityValue(customer), column) as unknown),
        ],
        insertEvent: {
          name: 'customer_event_insert',
          text: 'INSERT INTO customer_events (customer_id, type, actor, request_id, changes, customer) VALUES ($1, $2, $3, $4, $5, $6)',
        },
      };
    }
    return this.compiled;
  }

  /**
   * Sets one column's value on an entity from a row. pg already parses these column types into the
   * entity's types (see pg-types.ts), so they are assigned directly; anything else goes through
   * TypeORM's own hydration.
   */
  private assignerFor(column: ColumnMetadata): (customer: Customer, row: Row) => void {
    const name = column.databaseName;
    const parsedByPg = PARSED_BY_PG.has(String(column.type));
    const path = [...(column.embeddedMetadata?.parentPropertyNames ?? []), column.propertyName];
    if (parsedByPg && path.length === 1) return (customer, row) => void ((customer as unknown as Row)[path[0]] = row[name]);
    if (parsedByPg && path.length === 2) {
      const [parent, property] = path;
      const embedded = column.embeddedMetadata!;
      return (customer, row) => {
        const target = ((customer as unknown as Record<string, Row>)[parent] ??= embedded.create() as Row);
        target[property] = row[name];
      };
    }
    return (customer, row) => column.setEntityValue(customer, this.dataSource.driver.prepareHydratedValue(row[name], column));
  }

  private async read(statement: Statement, values: unknown[]): Promise<Customer[]> {
    const { rows } = await readWithOneRetry(() => typeormPool(this.dataSource).query<Row>({ ...statement, values }));
    return rows.map((row) => this.hydrate(row));
  }

  private hydrate(row: Row): Customer {
    const customer = new Customer();
    for (const assign of this.sql.assigners) assign(customer, row);
    return customer;
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
    return rows.length ? this.hydrate(rows[0]) : null;
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
        text: `SELECT ${this.sql.selectList} FROM customers ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
               ORDER BY created_at DESC, customer_id DESC LIMIT $${conditions.length + 1}`,
      };
      this.pages.set(key, statement);
    }
    const values = present.map(([name]) => (name === 'namePrefix' ? `${escapeLike(filter.namePrefix!.toLowerCase())}%` : filter[name]));
    return this.read(statement, [...values, limit + 1]);
  }

  /** Inserts a customer and its `customer.created` event; generated columns are filled into the returned entity. */
  async insertWithEvent(manager: EntityManager, state: CustomerState, changes: CustomerChanges, context: WriteContext, customerId?: string): Promise<Customer> {
    const customer = manager.create(Customer, { ...state, ...(customerId ? { customer_id: customerId } : {}) });
    await manager.insert(Customer, customer);
    // The entity manager's transaction runs on this connection.
    const connection = (await manager.queryRunner!.connect()) as PoolClient;
    await this.insertEvent(connection, customer, CustomerEventType.Created, changes, context);
    return customer;
  }

  /**
   * Merges the changed fields into the locked entity and writes it with its event. The UPDATE adds
   * `version = version + 1` and `updated_at = CURRENT_TIMESTAMP` and returns both (RETURNING), so
   * no re-read follows.
   */
  async updateWithEvent(
    transaction: CustomerTransaction,
    customer: Customer,
    next: CustomerState,
    changes: CustomerChanges,
    context: WriteContext,
  ): Promise<Customer> {
    for (const field of Object.keys(changes) as (keyof CustomerState)[]) (customer as CustomerState)[field] = next[field] as never;
    const { rows } = await transaction.query<Pick<Customer, 'version' | 'updated_at'>>({ ...this.sql.update, values: this.sql.updateValues(customer) });
    customer.version = rows[0].version;
    customer.updated_at = rows[0].updated_at;
    await this.insertEvent(transaction, customer, CustomerEventType.Updated, changes, context);
    return customer;
  }

  /** The event keeps the customer as it is after the change (what webhooks deliver), with its generated version and timestamps. */
  private async insertEvent(
    transaction: CustomerTransaction,
    customer: Customer,
    type: CustomerEventType,
    changes: CustomerChanges,
    context: WriteContext,
  ): Promise<void> {
    const values = [customer.customer_id, type, context.actor, context.requestId, JSON.stringify(changes), JSON.stringify(toCustomerResponse(customer))];
    await transaction.query({ ...this.sql.insertEvent, values });
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}
