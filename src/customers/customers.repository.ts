import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readWithOneRetry } from '../database/database-errors';
import { EntityRows, Row } from '../database/entity-rows';
import { KeysetPages, KeysetRows } from '../database/keyset-pages';
import { SqlTransaction, inPoolTransaction } from '../database/pool-transaction';
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
  /** Unset or false: not archived; true: archived only; 'any': both. */
  archived?: boolean | 'any';
  externalId?: string;
  /** metadata[key]=value filters, all of which must match. */
  metadata?: Record<string, string>;
}

interface Statement {
  name: string;
  text: string;
}

/** A customer write transaction's connection (see `writeTransaction`). */
export type CustomerTransaction = SqlTransaction;

/** What an event records: its type, the changes, and the customer after them (built by the service). */
export interface CustomerEventRecord {
  type: CustomerEventType;
  changes: CustomerChanges;
  snapshot: CustomerSnapshot;
}

interface CompiledStatements {
  rows: EntityRows<Customer>;
  byId: Statement;
  exists: Statement;
  lockById: Statement;
  /** Every editable column from the entity ($2…), version + 1, updated_at: one statement shape for any change. */
  update: Statement;
  insert: Statement;
  /** The same with the id given (the reference customer). */
  insertWithId: Statement;
  insertEvent: Statement;
}

/**
 * Every customer query: the service above it reads as business steps.
 *
 * Every statement is a named prepared statement on TypeORM's own pool, derived once from the
 * entity's metadata (EntityRows, KeysetPages), so a new column needs no change here; every write
 * runs in `writeTransaction`.
 */
@Injectable()
export class CustomersRepository {
  private compiled?: CompiledStatements;
  private pages?: KeysetPages<Customer>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The statements, derived from the entity's metadata on first use. */
  private get sql(): CompiledStatements {
    if (!this.compiled) {
      const rows = new EntityRows(this.dataSource, Customer);
      const assignments = rows.editableColumns.map((column, index) => `"${column}" = $${index + 2}`).join(', ');
      const editable = rows.editableColumns.map((column) => `"${column}"`).join(', ');
      const parameters = (from: number) => rows.editableColumns.map((_, index) => `$${index + from}`).join(', ');
      this.compiled = {
        rows,
        byId: { name: 'customer_by_id', text: `SELECT ${rows.selectList} FROM customers WHERE customer_id = $1` },
        exists: { name: 'customer_exists', text: 'SELECT 1 FROM customers WHERE customer_id = $1' },
        lockById: { name: 'customer_lock_by_id', text: `SELECT ${rows.selectList} FROM customers WHERE customer_id = $1 FOR UPDATE` },
        update: {
          name: 'customer_update',
          text: `UPDATE customers SET ${assignments}, version = version + 1, updated_at = CURRENT_TIMESTAMP WHERE customer_id = $1 RETURNING version, updated_at`,
        },
        insert: { name: 'customer_insert', text: `INSERT INTO customers (${editable}) VALUES (${parameters(1)}) RETURNING ${rows.selectList}` },
        insertWithId: {
          name: 'customer_insert_with_id',
          text: `INSERT INTO customers (customer_id, ${editable}) VALUES ($1, ${parameters(2)}) RETURNING ${rows.selectList}`,
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

  /** The one transaction shape of customer writes: a pooled connection of its own (see inPoolTransaction). */
  writeTransaction<T>(work: (transaction: CustomerTransaction) => Promise<T>): Promise<T> {
    return inPoolTransaction(typeormPool(this.dataSource), work);
  }

  async findById(customerId: string): Promise<Customer | null> {
    const [customer] = await this.read(this.sql.byId, [customerId]);
    return customer ?? null;
  }

  async exists(customerId: string): Promise<boolean> {
    const { rows } = await readWithOneRetry(() => typeormPool(this.dataSource).query({ ...this.sql.exists, values: [customerId] }));
    return rows.length > 0;
  }

  async isEmpty(): Promise<boolean> {
    const { rows } = await typeormPool(this.dataSource).query('SELECT 1 FROM customers LIMIT 1');
    return rows.length === 0;
  }

  /** Locks the row until the transaction ends (SELECT … FOR UPDATE), so concurrent writers serialise. */
  async lockForUpdate(transaction: CustomerTransaction, customerId: string): Promise<Customer | null> {
    const { rows } = await transaction.query<Row>({ ...this.sql.lockById, values: [customerId] });
    return rows.length ? this.sql.rows.hydrate(rows[0]) : null;
  }

  /**
   * Newest first on (created_at, customer_id); every filter is served by an index in that order
   * (see the CustomerListIndexes migration).
   */
  page(filter: CustomerListFilter, afterCustomerId: string | undefined, limit: number): Promise<KeysetRows<Customer>> {
    this.pages ??= new KeysetPages(this.dataSource, Customer, { table: 'customers', order: ['created_at', 'customer_id'], id: 'customer_id' });
    // Each metadata filter is a join with customer_metadata_values, whose index yields customers in the
    // list's order: a page reads only its own customers, however many match. With several filters the
    // page is planned with its values, so PostgreSQL leads with the most selective one.
    const metadata = Object.entries(filter.metadata ?? {});
    return this.pages.read({
      drivers: metadata.map(([key, value], index) => ({
        name: `metadata${index}`,
        join: `JOIN customer_metadata_values m${index} USING (created_at, customer_id)`,
        where: [[(p) => `m${index}.key = ${p}`, key] as const, [(p) => `m${index}.value = ${p}`, value] as const],
      })),
      planWithValues: metadata.length > 1,
      where: {
        tier: [(p) => `tier = ${p}`, filter.tier || undefined],
        status: [(p) => `status = ${p}`, filter.status || undefined],
        email: [(p) => `contact_email = ${p}`, filter.email || undefined],
        namePrefix: [(p) => `lower(company_name) LIKE ${p}`, filter.namePrefix ? `${escapeLike(filter.namePrefix.toLowerCase())}%` : undefined],
        createdGte: [(p) => `created_at >= ${p}`, filter.createdGte],
        createdLt: [(p) => `created_at < ${p}`, filter.createdLt],
        archived: [(p) => `(archived_at IS NOT NULL) = ${p}`, filter.archived === 'any' ? undefined : (filter.archived ?? false)],
        externalId: [(p) => `external_id = ${p}`, filter.externalId],
      },
      afterId: afterCustomerId,
      limit,
    });
  }

  /** Inserts a customer; generated columns (id, version, dates) come back with it (RETURNING). */
  async insert(transaction: CustomerTransaction, state: CustomerState, customerId?: string): Promise<Customer> {
    const values = this.sql.rows.editableValues(Object.assign(new Customer(), state));
    const statement = customerId === undefined ? { ...this.sql.insert, values } : { ...this.sql.insertWithId, values: [customerId, ...values] };
    const { rows } = await transaction.query<Row>(statement);
    return this.sql.rows.hydrate(rows[0]);
  }

  /**
   * Sets `changed` on the locked entity and writes it. The UPDATE adds
   * `version = version + 1` and `updated_at = CURRENT_TIMESTAMP` and returns both (RETURNING), so
   * no re-read follows.
   */
  async update(transaction: CustomerTransaction, customer: Customer, changed: Partial<Customer>): Promise<Customer> {
    Object.assign(customer, changed);
    const values = [customer.customer_id, ...this.sql.rows.editableValues(customer)];
    const { rows } = await transaction.query<Pick<Customer, 'version' | 'updated_at'>>({ ...this.sql.update, values });
    customer.version = rows[0].version;
    customer.updated_at = rows[0].updated_at;
    return customer;
  }

  /** Customers archived more than `days` ago and not yet erased, oldest first. */
  async archivedBefore(days: number, limit: number): Promise<string[]> {
    const { rows } = await typeormPool(this.dataSource).query<{ customer_id: string }>(
      `SELECT customer_id FROM customers WHERE erased_at IS NULL AND archived_at < now() - make_interval(days => $1) ORDER BY archived_at LIMIT $2`,
      [days, limit],
    );
    return rows.map((row) => row.customer_id);
  }

  /** The customer that holds an external id (outside any transaction: asked after a unique violation). */
  async holderOfExternalId(externalId: string): Promise<string | undefined> {
    const { rows } = await typeormPool(this.dataSource).query<{ customer_id: string }>('SELECT customer_id FROM customers WHERE external_id = $1', [
      externalId,
    ]);
    return rows[0]?.customer_id;
  }

  /**
   * Erasure, in the erasing transaction: every stored event of the customer gets `scrub` applied to
   * its changes and snapshot (the append-only trigger lets exactly this transaction rewrite exactly
   * these two columns of this customer's events), and stored idempotent responses of its creation
   * get the erased values, as do the changes scheduled for it. Webhook deliveries store no payload:
   * they are built from the events.
   */
  async scrubPersonalData(
    transaction: CustomerTransaction,
    customerId: string,
    erased: Record<string, unknown>,
    scrub: (event: { changes: CustomerChanges; customer: CustomerSnapshot | null }) => { changes: CustomerChanges; customer: CustomerSnapshot | null },
  ): Promise<void> {
    await transaction.query(`SELECT set_config('customer_admin.erasing', $1, true)`, [customerId]);
    const { rows } = await transaction.query<{ event_id: string; changes: CustomerChanges; customer: CustomerSnapshot | null }>(
      'SELECT event_id, changes, customer FROM customer_events WHERE customer_id = $1',
      [customerId],
    );
    for (const row of rows) {
      const scrubbed = scrub(row);
      await transaction.query('UPDATE customer_events SET changes = $2, customer = $3 WHERE event_id = $1', [
        row.event_id,
        JSON.stringify(scrubbed.changes),
        scrubbed.customer === null ? null : JSON.stringify(scrubbed.customer),
      ]);
    }
    await transaction.query(`SELECT set_config('customer_admin.erasing', '', true)`);
    await transaction.query(`UPDATE idempotency_keys SET response_body = response_body::jsonb || $2::jsonb WHERE response_body->>'customer_id' = $1`, [
      customerId,
      JSON.stringify(erased),
    ]);
    // Scheduled changes: the personal fields they would set get the erased values; pending ones can
    // never apply to an erased customer, so they fail now rather than at their time.
    await transaction.query(
      `UPDATE scheduled_changes SET
         changes = COALESCE((SELECT jsonb_object_agg(key, CASE WHEN $2::jsonb ? key THEN $2::jsonb -> key ELSE value END) FROM jsonb_each(changes)), '{}'),
         status = CASE WHEN status = $4 THEN $5 ELSE status END,
         failure = CASE WHEN status = $4 THEN $3 ELSE failure END
       WHERE customer_id = $1`,
      [customerId, JSON.stringify(erased), `Customer ${customerId} was erased before this change was due.`, 'pending', 'failed'],
    );
  }

  /** Records an event in the customer write's transaction. */
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
