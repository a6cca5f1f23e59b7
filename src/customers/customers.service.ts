import { HttpStatus, Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Page, keysetPage } from '../http/pagination.dto';
import { ProblemException } from '../http/problem.exception';
import type { WriteContext } from '../http/request-context';
import { parseTimestamp } from '../http/validation';
import { formatTimestamp } from '../http/timestamps';
import { CustomerEventRelay } from '../events/customer-event-relay';
import { CustomerEventType, CustomerSnapshot } from '../events/customer-event.entity';
import { CustomerSnapshots } from '../events/customer-snapshots';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { Tier, TierPolicyService } from '../tiers/index';
import {
  CustomerChanges,
  CustomerPatch,
  CustomerState,
  CustomerStateField,
  NewCustomer,
  creationChanges,
  planCustomerUpdate,
  planNewCustomer,
  stateOf,
} from './customer-changes';
import { etagFor, ifMatchSatisfied } from './customer-etag';
import { CustomerWriteQueue } from './customer-write-queue';
import { Customer } from './customer.entity';
import { customerArchived, customerErased, customerNotArchived, customerNotFound, externalIdTaken } from './customer.errors';
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

/** A write's answer, and whether this call changed the customer (false for a no-op, such as erasing an erased customer). */
export interface WrittenCustomer extends CustomerRepresentation {
  changed: boolean;
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
      archived: query.archived === 'any' ? ('any' as const) : query.archived === 'true',
      externalId: query.external_id,
      metadata: query.metadata,
    };
    return keysetPage(query, (afterId) => this.customers.page(filter, afterId, query.limit), { idOf: (row) => row.customer_id, map: toCustomerResponse });
  }

  /** Creates a customer with its `customer.created` event; with an Idempotency-Key, at most once per key. */
  async create(input: NewCustomer, context: WriteContext, idempotencyKey?: string): Promise<CreatedCustomer> {
    const state = planNewCustomer(input, this.tierPolicy);
    const response = await this.idempotency
      .execute({ actor: context.actor, key: idempotencyKey, body: input }, async (transaction) => {
        const { body, etag } = await this.insertWithEvent(transaction, state, context);
        return { status: HttpStatus.CREATED, headers: { etag }, body };
      })
      .catch(async (error: unknown) => {
        throw await this.explainUniqueViolation(error);
      });
    if (!response.replayed) this.relay.publishSoon();
    return { body: response.body, etag: response.headers.etag, replayed: response.replayed };
  }

  /**
   * Queue, lock, check If-Match, plan, merge, write, respond: in one transaction with the row locked,
   * so concurrent updates serialise instead of overwriting each other (and, queued per customer in
   * this process first, wait without holding pooled connections). A write that changes nothing
   * writes nothing: no version bump, no event. An archived or erased customer is read-only (409).
   */
  update(customerId: string, patch: CustomerPatch, context: WriteContext, { ifMatch, claim }: UpdateOptions = {}): Promise<WrittenCustomer> {
    return this.write(
      customerId,
      context,
      (customer) => {
        if (ifMatch !== undefined && !ifMatchSatisfied(ifMatch, customer.version)) throw preconditionFailed(customer.version);
        const { next, changes } = this.planUpdate(customer, patch);
        const changed = Object.fromEntries(Object.keys(changes).map((field) => [field, next[field as CustomerStateField]])) as Partial<Customer>;
        return { type: CustomerEventType.Updated, changed, changes };
      },
      claim,
    );
  }

  /** What a PUT of `patch` would answer now, without writing anything: its 404, 409 or 400, or nothing. */
  async checkUpdate(customerId: string, patch: CustomerPatch): Promise<void> {
    this.planUpdate(await this.findOne(customerId), patch);
  }

  private planUpdate(customer: Customer, patch: CustomerPatch): ReturnType<typeof planCustomerUpdate> {
    if (customer.erased_at) throw customerErased(customer.customer_id);
    if (customer.archived_at) throw customerArchived(customer.customer_id);
    return planCustomerUpdate(stateOf(customer), patch, this.tierPolicy);
  }

  /** DELETE: archives (never destroys); archiving an archived customer changes nothing. */
  archive(customerId: string, context: WriteContext): Promise<WrittenCustomer> {
    return this.write(customerId, context, (customer) => {
      if (customer.archived_at) return null;
      const archivedAt = wholeSeconds(new Date());
      return {
        type: CustomerEventType.Archived,
        changed: { archived_at: archivedAt },
        changes: { archived_at: { from: null, to: formatTimestamp(archivedAt) } },
      };
    });
  }

  /** Undoes an archive; restoring a customer that is not archived changes nothing; an erased one stays erased (409). */
  restore(customerId: string, context: WriteContext): Promise<WrittenCustomer> {
    return this.write(customerId, context, (customer) => {
      if (customer.erased_at) throw customerErased(customerId);
      if (!customer.archived_at) return null;
      return {
        type: CustomerEventType.Restored,
        changed: { archived_at: null },
        changes: { archived_at: { from: formatTimestamp(customer.archived_at), to: null } },
      };
    });
  }

  /**
   * Erases an archived customer's personal data, irreversibly, here and in everything stored about
   * it (its events' changes and snapshots, idempotent responses), in the same transaction. Erasing an
   * erased customer changes nothing.
   */
  erase(customerId: string, context: WriteContext): Promise<WrittenCustomer> {
    return this.write(customerId, context, (customer) => {
      if (customer.erased_at) return null;
      if (!customer.archived_at) throw customerNotArchived(customerId);
      const erasedAt = wholeSeconds(new Date());
      const personal = erasedValues(customerId);
      return {
        type: CustomerEventType.Erased,
        changed: { ...personal, erased_at: erasedAt },
        changes: { erased_at: { from: null, to: formatTimestamp(erasedAt) } },
        afterWrite: (transaction) => this.customers.scrubPersonalData(transaction, customerId, personal, (event) => scrubEvent(event, personal)),
      };
    });
  }

  /** The one write path: queued per customer, the row locked, `decide` says what changes (null: nothing), then the write and its event. */
  private async write(
    customerId: string,
    context: WriteContext,
    decide: (customer: Customer) => PlannedWrite | null,
    claim?: UpdateOptions['claim'],
  ): Promise<WrittenCustomer> {
    try {
      const written = await this.writeQueue.run(customerId, () =>
        this.customers.writeTransaction(async (transaction): Promise<WrittenCustomer> => {
          const customer = await this.customers.lockForUpdate(transaction, customerId);
          if (!customer) throw customerNotFound(customerId);
          if (claim && !(await claim(transaction))) return { ...representationOf(customer), changed: false };
          const plan = decide(customer);
          if (!plan || Object.keys(plan.changes).length === 0) return { ...representationOf(customer), changed: false };
          const representation = representationOf(await this.customers.update(transaction, customer, plan.changed));
          await plan.afterWrite?.(transaction);
          await this.customers.insertEvent(
            transaction,
            customerId,
            { type: plan.type, changes: plan.changes, snapshot: asSnapshot(representation.body) },
            context,
          );
          return { ...representation, changed: true };
        }),
      );
      if (written.changed) this.relay.publishSoon();
      return written;
    } catch (error) {
      throw await this.explainUniqueViolation(error);
    }
  }

  /** A clash on external_id (a unique index: concurrent writers cannot both win) as a 409 naming the holder. */
  private async explainUniqueViolation(error: unknown): Promise<unknown> {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code !== '23505' || constraint !== 'customers_external_id') return error;
    const externalId = /\(external_id\)=\((.*)\)/.exec((error as { detail?: string }).detail ?? '')?.[1] ?? '';
    return externalIdTaken(externalId, await this.customers.holderOfExternalId(externalId));
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

export interface UpdateOptions {
  /** An ETag: the update applies only to that version (412 otherwise). */
  ifMatch?: string;
  /**
   * Runs in the write's transaction once the customer's row is locked, before anything is decided:
   * false means "not mine to apply any more" (the write is then a no-op). Rolled back with the write
   * if the update is refused.
   */
  claim?: (transaction: CustomerTransaction) => Promise<boolean>;
}

interface PlannedWrite {
  type: CustomerEventType;
  /** The entity's new values. */
  changed: Partial<Customer>;
  /** What the event records. */
  changes: CustomerChanges;
  /** More work in the same transaction, after the customer's row is written. */
  afterWrite?: (transaction: CustomerTransaction) => Promise<void>;
}

const PERSONAL_FIELDS = ['company_name', 'contact_email', 'metadata', 'external_id'] as const;

/** What erasure leaves in the personal fields. */
function erasedValues(customerId: string): Pick<Customer, (typeof PERSONAL_FIELDS)[number]> {
  return { company_name: 'Erased customer', contact_email: `erased+${customerId}@erased.invalid`, metadata: {}, external_id: null };
}

/** An event with every personal value replaced by its erased value (null stays null). */
function scrubEvent(
  event: { changes: CustomerChanges; customer: CustomerSnapshot | null },
  erased: Record<string, unknown>,
): { changes: CustomerChanges; customer: CustomerSnapshot | null } {
  const changes = { ...event.changes };
  for (const field of PERSONAL_FIELDS) {
    const change = changes[field];
    if (change) changes[field] = { from: change.from === null ? null : erased[field], to: change.to === null ? null : erased[field] };
  }
  return { changes, customer: event.customer === null ? null : { ...event.customer, ...erased } };
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
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
