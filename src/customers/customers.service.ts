import { HttpStatus, Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Page, keysetPage } from '../http/pagination.dto';
import { ProblemException } from '../http/problem.exception';
import type { WriteContext } from '../http/request-context';
import { parseTimestamp } from '../http/validation';
import { CustomerEventRelay } from '../events/customer-event-relay';
import { CustomerEventType, CustomerSnapshot } from '../events/customer-event.entity';
import { CustomerSnapshots } from '../events/customer-snapshots';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { Tier, TierPolicyService } from '../tiers/index';
import { CustomerPatch, CustomerState, NewCustomer, creationChanges, planCustomerUpdate, planNewCustomer, stateOf } from './customer-changes';
import { etagFor, ifMatchSatisfied } from './customer-etag';
import { CustomerWriteQueue } from './customer-write-queue';
import { Customer } from './customer.entity';
import { customerNotFound } from './customer.errors';
import { CustomerTransaction, CustomersRepository } from './customers.repository';
import { CustomerResponseDto, toCustomerResponse } from './dto/customer-response.dto';
import { ListCustomersQueryDto } from './dto/list-customers-query.dto';

export { REFERENCE_CUSTOMER_ID } from './customer-id.pipe';
import { REFERENCE_CUSTOMER_ID } from './customer-id.pipe';
import type { EnvironmentVariables } from '../config/environment';

/** A customer as the API answers it: the body and its ETag. */
export interface CustomerRepresentation {
  body: CustomerResponseDto;
  etag: string;
}

export interface CreatedCustomer extends CustomerRepresentation {
  replayed: boolean;
}

function representationOf(customer: Customer): CustomerRepresentation {
  return { body: toCustomerResponse(customer), etag: etagFor(customer.version) };
}

@Injectable()
export class CustomersService implements OnModuleInit {
  private readonly writeQueue: CustomerWriteQueue;

  constructor(
    private readonly customers: CustomersRepository,
    private readonly tierPolicy: TierPolicyService,
    private readonly idempotency: IdempotencyService,
    private readonly relay: CustomerEventRelay,
    private readonly snapshots: CustomerSnapshots,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.writeQueue = new CustomerWriteQueue(config.get('CUSTOMER_WRITE_QUEUE_LIMIT', { infer: true }));
  }

  onModuleInit(): void {
    this.snapshots.provide(async (customerId) => {
      const customer = await this.customers.findById(customerId);
      return customer ? asSnapshot(toCustomerResponse(customer)) : null;
    });
  }

  async findOne(customerId: string): Promise<Customer> {
    const customer = await this.customers.findById(customerId);
    if (!customer) throw customerNotFound(customerId);
    return customer;
  }

  list(query: ListCustomersQueryDto): Promise<Page<CustomerResponseDto>> {
    const filter = {
      tier: query.tier,
      status: query.status,
      email: query.email,
      namePrefix: query.q,
      createdGte: query.created_gte === undefined ? undefined : parseTimestamp(query.created_gte),
      createdLt: query.created_lt === undefined ? undefined : parseTimestamp(query.created_lt),
    };
    return keysetPage(query, (afterId) => this.customers.page(filter, afterId, query.limit), { idOf: (row) => row.customer_id, map: toCustomerResponse });
  }

  /** Creates a customer with its `customer.created` event; with an Idempotency-Key, at most once per key. */
  async create(input: NewCustomer, context: WriteContext, idempotencyKey?: string): Promise<CreatedCustomer> {
    const state = planNewCustomer(input, this.tierPolicy);
    const response = await this.idempotency.execute({ actor: context.actor, key: idempotencyKey, body: input }, async (transaction) => {
      const { body, etag } = await this.insertWithEvent(transaction, state, context);
      return { status: HttpStatus.CREATED, headers: { etag }, body };
    });
    if (!response.replayed) this.relay.publishSoon();
    return { body: response.body, etag: response.headers.etag, replayed: response.replayed };
  }

  /**
   * Queue, lock, check If-Match, plan, merge, write, respond: in one transaction with the row locked,
   * so concurrent updates serialise instead of overwriting each other (and, queued per customer in
   * this process first, wait without holding pooled connections). A write that changes nothing
   * writes nothing: no version bump, no event.
   */
  async update(customerId: string, patch: CustomerPatch, context: WriteContext, ifMatch?: string): Promise<CustomerRepresentation> {
    let changed = false;
    const updated = await this.writeQueue.run(customerId, () =>
      this.customers.writeTransaction(async (transaction) => {
        const customer = await this.customers.lockForUpdate(transaction, customerId);
        if (!customer) throw customerNotFound(customerId);
        if (ifMatch !== undefined && !ifMatchSatisfied(ifMatch, customer.version)) throw preconditionFailed(customer.version);
        const { next, changes } = planCustomerUpdate(stateOf(customer), patch, this.tierPolicy);
        if (Object.keys(changes).length === 0) return representationOf(customer);
        changed = true;
        const written = representationOf(await this.customers.update(transaction, customer, next, changes));
        await this.customers.insertEvent(transaction, customerId, { type: CustomerEventType.Updated, changes, snapshot: asSnapshot(written.body) }, context);
        return written;
      }),
    );
    if (changed) this.relay.publishSoon();
    return updated;
  }

  /** A new customer and its `customer.created` event, in one transaction; answers the customer as the API shows it. */
  private async insertWithEvent(
    transaction: CustomerTransaction,
    state: CustomerState,
    context: WriteContext,
    customerId?: string,
  ): Promise<CustomerRepresentation> {
    const created = representationOf(await this.customers.insert(transaction, state, customerId));
    const event = { type: CustomerEventType.Created, changes: creationChanges(state), snapshot: asSnapshot(created.body) };
    await this.customers.insertEvent(transaction, created.body.customer_id, event, context);
    return created;
  }

  /** Inserts the reference's Acme Financial customer when the database has no customers at all. */
  async seedReferenceCustomerIfEmpty(): Promise<boolean> {
    if (!(await this.customers.isEmpty())) return false;
    const state = planNewCustomer({ company_name: 'Acme Financial', contact_email: 'compliance@acmefinancial.com', tier: Tier.Growth }, this.tierPolicy);
    await this.customers.writeTransaction((transaction) =>
      this.insertWithEvent(transaction, state, { actor: 'system:seed', requestId: null }, REFERENCE_CUSTOMER_ID),
    );
    return true;
  }
}

/** The event keeps the customer as the API returned it after the change: what webhooks deliver. */
function asSnapshot(customer: CustomerResponseDto): CustomerSnapshot {
  return customer as unknown as CustomerSnapshot;
}

function preconditionFailed(version: number): ProblemException {
  return new ProblemException(
    HttpStatus.PRECONDITION_FAILED,
    `The customer changed since it was read: its ETag is now ${etagFor(version)}. Fetch it again and reapply the change.`,
    [{ field: 'If-Match', message: `does not match the current ETag ${etagFor(version)}` }],
  );
}
