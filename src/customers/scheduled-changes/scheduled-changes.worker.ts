import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Waker } from '../../events/waker';
import { MetricsService } from '../../metrics/metrics.service';
import { ScheduledChangesRepository } from './scheduled-changes.repository';
import { ScheduledChangesService } from './scheduled-changes.service';

/** The longest pause between looks: a change scheduled by another instance is seen within it. */
const POLL_MS = 500;
const ERROR_PAUSE_MS = 1000;
const BATCH = 16;
/** Changes of different customers applied at once (each holds one pooled connection while it writes). */
const PARALLEL = 4;

/**
 * Applies scheduled changes when they fall due, on every instance. It sleeps until the next pending
 * change's `effective_at` (by the database's clock), at most POLL_MS, and is woken when this
 * instance schedules one; so a change applies within about POLL_MS of its time even when another
 * instance scheduled it. Exactly once across instances: each application claims its change in the
 * customer's locked write (ScheduledChangesService.apply). A customer's changes apply one at a time,
 * oldest `effective_at` first. Nothing is held in memory: a restart or a database outage only delays.
 */
@Injectable()
export class ScheduledChangesWorker implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ScheduledChangesWorker.name);
  private readonly waker = new Waker();
  private running?: Promise<void>;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly service: ScheduledChangesService,
    private readonly repository: ScheduledChangesRepository,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.service.onScheduled(() => this.waker.wake());
    this.metrics.gaugeFromQuery('scheduled_changes_pending', 'Scheduled customer changes still pending (due or not)', () => this.repository.pendingCount());
    this.metrics.gaugeFromQuery(
      'scheduled_changes_oldest_due_lag_seconds',
      'How long the oldest due scheduled change has waited past its effective_at (0 when none is due)',
      () => this.repository.oldestDueLagSeconds(),
    );
  }

  onApplicationBootstrap(): void {
    this.running = this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.waker.wake();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.waker.reset();
      let pauseMs = ERROR_PAUSE_MS;
      try {
        await this.applyDue();
        const nextDueMs = await this.repository.msUntilNextDue();
        pauseMs = nextDueMs === undefined ? POLL_MS : Math.min(POLL_MS, Math.ceil(nextDueMs));
        if (this.failing) this.logger.log('Scheduled changes are being applied again');
        this.failing = false;
      } catch (error) {
        if (!this.stopped && !this.failing)
          this.logger.warn(`Applying scheduled changes failed: ${(error as Error).message}; retrying every ${ERROR_PAUSE_MS} ms`);
        this.failing = true;
      }
      if (!this.stopped) await this.waker.pause(pauseMs);
    }
  }

  /** Applies every due change, a batch of customers at a time, until none is due. */
  private async applyDue(): Promise<void> {
    while (!this.stopped) {
      const due = await this.repository.due(BATCH);
      if (due.length === 0) return;
      for (let start = 0; start < due.length; start += PARALLEL) {
        const outcomes = await Promise.all(due.slice(start, start + PARALLEL).map((change) => this.service.apply(change)));
        for (const outcome of outcomes) if (outcome !== 'skipped') this.metrics.scheduledChangeApplied(outcome);
      }
    }
  }
}
