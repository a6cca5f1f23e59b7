import { HttpStatus, Injectable } from '@nestjs/common';
import { Page, keysetPage } from '../../http/pagination.dto';
import { ProblemException } from '../../http/problem.exception';
import type { WriteContext } from '../../http/request-context';
import { formatTimestamp } from '../../http/timestamps';
import { scheduledChangeNotFound, scheduledChangeNotPending } from '../customer.errors';
import { CustomersService } from '../customers.service';
import { ListScheduledChangesQueryDto } from './dto/list-scheduled-changes-query.dto';
import { MAX_SCHEDULE_YEARS, ScheduleCustomerChangeDto, parseDateTimeWithZone } from './dto/schedule-customer-change.dto';
import { ScheduledChangeResponseDto, toScheduledChangeResponse } from './dto/scheduled-change-response.dto';
import { ScheduledChange, ScheduledChangeStatus } from './scheduled-change.entity';
import { DueChange, ScheduledChangesRepository } from './scheduled-changes.repository';

/** The actor of the event a scheduled change's application records. */
export const scheduledChangeActor = (scheduledChangeId: string): string => `scheduled-change:${scheduledChangeId}`;

/** What applying a change did. */
export type ApplyOutcome = 'applied' | 'failed' | 'skipped';

/** Problems that mean "this change cannot apply to this customer now" (the rest, such as a busy database, are retried). */
const REFUSALS: ReadonlySet<number> = new Set([HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT]);

@Injectable()
export class ScheduledChangesService {
  private readonly scheduledListeners: (() => void)[] = [];

  constructor(
    private readonly customers: CustomersService,
    private readonly repository: ScheduledChangesRepository,
  ) {}

  /** Called with every change scheduled by this instance (the worker re-reads its next due time). */
  onScheduled(listener: () => void): void {
    this.scheduledListeners.push(listener);
  }

  /**
   * Validates the change now as a PUT would be validated against the customer as it is (a bad tier
   * is a 400 today, not a failure later; an archived customer is a 409), then stores it.
   */
  async schedule(customerId: string, dto: ScheduleCustomerChangeDto, context: WriteContext): Promise<ScheduledChangeResponseDto> {
    const effectiveAt = parseDateTimeWithZone(dto.effective_at)!;
    const now = Date.now();
    if (effectiveAt.getTime() <= now) {
      throw ProblemException.field(
        'effective_at',
        `effective_at must be in the future; it is ${formatTimestamp(effectiveAt)}, and now is ${formatTimestamp(new Date(now))}`,
      );
    }
    const latest = new Date(now);
    latest.setUTCFullYear(latest.getUTCFullYear() + MAX_SCHEDULE_YEARS);
    if (effectiveAt > latest)
      throw ProblemException.field('effective_at', `effective_at must be at most ${MAX_SCHEDULE_YEARS} years ahead (before ${formatTimestamp(latest)})`);
    const changes = Object.fromEntries(Object.entries(dto.changes).filter(([, value]) => value !== undefined));
    if (Object.keys(changes).length === 0) throw ProblemException.field('changes', 'changes must set at least one field of a PUT, e.g. { "tier": "growth" }');
    await this.customers.checkUpdate(customerId, changes).catch((error: unknown) => {
      throw error instanceof ProblemException && error.getStatus() === HttpStatus.BAD_REQUEST
        ? ProblemException.validation(error.errors.map(({ field, message }) => ({ field: `changes.${field}`, message })))
        : error;
    });
    const created = await this.repository.insert({ customerId, effectiveAt, changes, createdBy: context.actor });
    for (const listener of this.scheduledListeners) listener();
    return toScheduledChangeResponse(created);
  }

  list(customerId: string, query: ListScheduledChangesQueryDto): Promise<Page<ScheduledChangeResponseDto>> {
    return keysetPage(query, (afterId) => this.repository.page(customerId, query.status, afterId, query.limit), {
      idOf: (change) => change.scheduled_change_id,
      map: toScheduledChangeResponse,
      whenEmpty: () => this.assertCustomerExists(customerId),
    });
  }

  async findOne(customerId: string, scheduledChangeId: string): Promise<ScheduledChangeResponseDto> {
    const change = await this.repository.findOne(customerId, scheduledChangeId);
    if (!change) throw await this.notFound(customerId, scheduledChangeId);
    return toScheduledChangeResponse(change);
  }

  /** Cancels a pending change; canceling a canceled one changes nothing; an applied or failed one is 409. */
  async cancel(customerId: string, scheduledChangeId: string): Promise<ScheduledChangeResponseDto> {
    const change = await this.repository.cancel(customerId, scheduledChangeId);
    if (!change) throw await this.notFound(customerId, scheduledChangeId);
    if (change.status === ScheduledChangeStatus.Applied || change.status === ScheduledChangeStatus.Failed) throw notPending(change);
    return toScheduledChangeResponse(change);
  }

  /**
   * Applies a due change through the customer's write path (queue, row lock, merge, version, event
   * with the actor `scheduled-change:{id}`, webhooks). The change is claimed in that transaction, so
   * across instances it applies once; a change the customer refuses (archived, erased, rules it now
   * breaks) ends failed with the reason and the customer untouched. Other errors (the database away)
   * leave it pending for the next try.
   */
  async apply(due: DueChange): Promise<ApplyOutcome> {
    const id = due.scheduled_change_id;
    let claimed = false;
    try {
      await this.customers.update(
        due.customer_id,
        due.changes,
        { actor: scheduledChangeActor(id), requestId: null },
        { claim: async (transaction) => (claimed = await this.repository.claim(transaction, id)) },
      );
      // Not claimed: another instance applied it, or it was canceled, since it was found due.
      return claimed ? 'applied' : 'skipped';
    } catch (error) {
      if (!(error instanceof ProblemException) || !REFUSALS.has(error.getStatus())) throw error;
      return (await this.repository.markFailed(id, failureReason(error))) ? 'failed' : 'skipped';
    }
  }

  /** Throws the customer's 404 when it does not exist. */
  private async assertCustomerExists(customerId: string): Promise<void> {
    await this.customers.findOne(customerId);
  }

  /** The 404 to answer: the customer's when it does not exist, otherwise the change's. */
  private async notFound(customerId: string, scheduledChangeId: string): Promise<ProblemException> {
    await this.assertCustomerExists(customerId);
    return scheduledChangeNotFound(customerId, scheduledChangeId);
  }
}

function notPending(change: ScheduledChange): ProblemException {
  const why =
    change.status === ScheduledChangeStatus.Applied
      ? `applied at ${formatTimestamp(change.applied_at!)}`
      : `it failed: ${change.failure ?? 'no reason recorded'}`;
  return scheduledChangeNotPending(change.scheduled_change_id, change.status, why);
}

/** The refusal as one sentence: the rules a 400 names, or the problem's detail. */
function failureReason(error: ProblemException): string {
  if (error.getStatus() === HttpStatus.BAD_REQUEST && error.errors.length > 0) return `Not applied: ${error.errors.map((e) => e.message).join('; ')}.`;
  return error.detail;
}
