import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { Page, toPage } from '../common/pagination.dto';
import { ProblemException } from '../common/problem.exception';
import type { WriteContext } from '../common/request-context';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { TierPolicyService } from '../tiers/tier-policy.service';
import { Tier } from '../tiers/tier.enum';
import { CustomerStatus } from './customer-status.enum';
import { Customer } from './customer.entity';
import { CustomerChanges, CustomerPatch, CustomerState, creationChanges, planCustomerUpdate, planNewCustomer, stateOf } from './customer-changes';
import { etagFor, ifMatchSatisfied } from './customer-etag';
import { CustomerResponseDto, toCustomerResponse } from './dto/customer-response.dto';
import { ListCustomersQueryDto } from './dto/list-customers-query.dto';
import { CustomerEventType } from './events/customer-event.entity';

/** The reference's example customer, seeded into an empty embedded database so its curl examples work as printed. */
export const REFERENCE_CUSTOMER_ID = '550e8400-e29b-41d4-a716-446655440000';
/** PostgreSQL NOTIFY channel: `{ event_id, customer_id, type }` after each committed create or change. */
export const CUSTOMER_EVENTS_CHANNEL = 'customer_events';

export type NewCustomer = CustomerPatch & { company_name: string; contact_email: string };

export interface CreatedCustomer {
  body: CustomerResponseDto;
  etag: string;
  replayed: boolean;
}

const STATE_COLUMNS = [
  'company_name',
  'contact_email',
  'tier',
  'status',
  'annual_commitment',
  'annual_validation_limit',
  'rate_limit_requests_per_second',
  'rate_limit_burst',
  'contract_start',
  'contract_end',
  'metadata',
] as const;

/**
 * The customer row, its event row and the NOTIFY in one statement: data-modifying CTEs run exactly
 * once, and the notification is delivered only if the transaction commits. `$1` is the customer id.
 */
function writeWithEventSql(write: string): string {
  return `WITH written AS (${write} RETURNING *),
    event AS (
      INSERT INTO customer_events (customer_id, type, actor, request_id, changes)
      SELECT customer_id, $${STATE_COLUMNS.length + 2}, $${STATE_COLUMNS.length + 3}, $${STATE_COLUMNS.length + 4}, $${STATE_COLUMNS.length + 5}::json
      FROM written
      RETURNING event_id, customer_id, type
    ),
    notified AS (
      SELECT pg_notify('${CUSTOMER_EVENTS_CHANNEL}', json_build_object('event_id', event_id, 'customer_id', customer_id, 'type', type)::text) AS sent
      FROM event
    )
    SELECT written.* FROM written, notified`;
}

const stateParameters = STATE_COLUMNS.map((_column, index) => `$${index + 2}`);

const UPDATE_WITH_EVENT = writeWithEventSql(
  `UPDATE customers SET ${STATE_COLUMNS.map((column, index) => `${column} = ${stateParameters[index]}`).join(', ')},
     version = version + 1, updated_at = now()
   WHERE customer_id = $1`,
);

const INSERT_WITH_EVENT = writeWithEventSql(
  `INSERT INTO customers (customer_id, ${STATE_COLUMNS.join(', ')})
   VALUES (COALESCE($1::uuid, gen_random_uuid()), ${stateParameters.join(', ')})`,
);

@Injectable()
export class CustomersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tierPolicy: TierPolicyService,
    private readonly idempotency: IdempotencyService,
  ) {}

  async findOne(customerId: string): Promise<Customer> {
    const [customer] = await this.dataSource.query('SELECT * FROM customers WHERE customer_id = $1', [customerId]);
    if (!customer) throw customerNotFound(customerId);
    return customer;
  }

  /**
   * Newest first, keyset-paginated on (created_at, customer_id) so pages stay stable while customers
   * are added; every filter is served by an index in that order (see the CustomerListIndexes migration).
   */
  async list(query: ListCustomersQueryDto): Promise<Page<CustomerResponseDto>> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const where = (condition: (parameter: string) => string, value: unknown) => {
      parameters.push(value);
      conditions.push(condition(`$${parameters.length}`));
    };
    if (query.tier) where((p) => `tier = ${p}`, query.tier);
    if (query.status) where((p) => `status = ${p}`, query.status);
    if (query.email) where((p) => `contact_email = ${p}`, query.email);
    if (query.q) where((p) => `lower(company_name) LIKE ${p}`, `${escapeLike(query.q.toLowerCase())}%`);
    // Parsed here, so a date without a zone means UTC whatever the database session's time zone.
    if (query.created_gte) where((p) => `created_at >= ${p}`, new Date(query.created_gte).toISOString());
    if (query.created_lt) where((p) => `created_at < ${p}`, new Date(query.created_lt).toISOString());
    const cursorId = query.starting_after === undefined ? undefined : decodeCursor(query.starting_after);
    if (query.starting_after !== undefined) {
      if (!cursorId) throw invalidCursor();
      where((p) => `(created_at, customer_id) < (SELECT created_at, customer_id FROM customers WHERE customer_id = ${p})`, cursorId);
    }
    parameters.push(query.limit + 1);
    const rows: Customer[] = await this.dataSource.query(
      `SELECT * FROM customers ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY created_at DESC, customer_id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    // An unknown cursor matches nothing; telling it from a genuinely empty page costs a lookup, so
    // only an empty page pays for it (keeps deep pages at one query).
    if (rows.length === 0 && cursorId) {
      const [found] = await this.dataSource.query('SELECT 1 FROM customers WHERE customer_id = $1', [cursorId]);
      if (!found) throw invalidCursor();
    }
    return toPage(rows, query.limit, (row) => encodeCursor(row.customer_id), toCustomerResponse);
  }

  /** Creates a customer with its `customer.created` event; with an Idempotency-Key, at most once per key. */
  async create(input: NewCustomer, context: WriteContext, idempotencyKey?: string): Promise<CreatedCustomer> {
    const state = planNewCustomer(input, this.tierPolicy);
    const produce = async (manager: EntityManager) => {
      const customer = await this.insert(manager, state, context);
      return { status: HttpStatus.CREATED, headers: { etag: etagFor(customer.version) }, body: toCustomerResponse(customer) };
    };
    if (!idempotencyKey) {
      const response = await this.dataSource.transaction(produce);
      return { body: response.body, etag: response.headers.etag, replayed: false };
    }
    const response = await this.idempotency.execute({ actor: context.actor, key: idempotencyKey, body: input }, produce);
    return { body: response.body, etag: response.headers.etag, replayed: response.replayed };
  }

  /**
   * Read-merge-write in one transaction with the row locked (SELECT ... FOR UPDATE), so concurrent
   * updates serialise instead of overwriting each other (a plain TypeORM save() would lose them).
   * A write that changes nothing writes nothing: no version bump, no event, no notification.
   */
  async update(customerId: string, patch: CustomerPatch, context: WriteContext, ifMatch?: string): Promise<Customer> {
    return this.dataSource.transaction(async (manager) => {
      const [current]: Customer[] = await manager.query('SELECT * FROM customers WHERE customer_id = $1 FOR UPDATE', [customerId]);
      if (!current) throw customerNotFound(customerId);
      if (ifMatch !== undefined && !ifMatchSatisfied(ifMatch, current.version)) {
        throw new ProblemException(
          HttpStatus.PRECONDITION_FAILED,
          `The customer changed since it was read: its ETag is now ${etagFor(current.version)}. Fetch it again and reapply the change.`,
          [{ field: 'If-Match', message: `does not match the current ETag ${etagFor(current.version)}` }],
        );
      }
      const { next, changes } = planCustomerUpdate(stateOf(current), patch, this.tierPolicy);
      if (Object.keys(changes).length === 0) return current;
      return writeWithEvent(manager, UPDATE_WITH_EVENT, customerId, next, CustomerEventType.Updated, changes, context);
    });
  }

  /** Inserts the reference's Acme Financial customer when the database has no customers at all. */
  async seedReferenceCustomerIfEmpty(): Promise<boolean> {
    const [{ exists }] = await this.dataSource.query('SELECT EXISTS (SELECT 1 FROM customers) AS exists');
    if (exists) return false;
    const state = planNewCustomer(
      { company_name: 'Acme Financial', contact_email: 'compliance@acmefinancial.com', tier: Tier.Growth, status: CustomerStatus.Active },
      this.tierPolicy,
    );
    await this.dataSource.transaction((manager) => this.insert(manager, state, { actor: 'system:seed', requestId: null }, REFERENCE_CUSTOMER_ID));
    return true;
  }

  private insert(manager: EntityManager, state: CustomerState, context: WriteContext, customerId?: string): Promise<Customer> {
    return writeWithEvent(manager, INSERT_WITH_EVENT, customerId ?? null, state, CustomerEventType.Created, creationChanges(state), context);
  }
}

async function writeWithEvent(
  manager: EntityManager,
  statement: string,
  customerId: string | null,
  state: CustomerState,
  type: CustomerEventType,
  changes: CustomerChanges,
  context: WriteContext,
): Promise<Customer> {
  const [customer]: Customer[] = await manager.query(statement, [customerId, ...stateValues(state), type, context.actor, context.requestId, JSON.stringify(changes)]);
  return customer;
}

/** Opaque to clients: the last customer's id, base64url-encoded, so it may change form later. */
export function encodeCursor(customerId: string): string {
  return Buffer.from(`c1:${customerId}`).toString('base64url');
}

export function decodeCursor(cursor: string): string | undefined {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const customerId = decoded.startsWith('c1:') ? decoded.slice(3) : '';
  return isUUID(customerId) ? customerId : undefined;
}

function invalidCursor(): ProblemException {
  return ProblemException.field('starting_after', "starting_after is not a valid cursor; pass a page's next_cursor");
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function stateValues(state: CustomerState): unknown[] {
  const columns: Record<(typeof STATE_COLUMNS)[number], unknown> = {
    ...state,
    rate_limit_requests_per_second: state.rate_limit.requests_per_second,
    rate_limit_burst: state.rate_limit.burst,
    metadata: JSON.stringify(state.metadata),
  };
  return STATE_COLUMNS.map((column) => columns[column]);
}

export function customerNotFound(customerId: string): ProblemException {
  return new ProblemException(HttpStatus.NOT_FOUND, `No customer has customer_id ${customerId}.`, [
    { field: 'customer_id', message: 'no customer with this id' },
  ]);
}
