import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, ClientBase } from 'pg';
import type { DataSource } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';
import { Waker } from './waker';
import type { EnvironmentVariables } from '../config/environment';

/** PostgreSQL NOTIFY channel: `{ event_id, customer_id, type, position }` for each committed create or change. */
export const CUSTOMER_EVENTS_CHANNEL = 'customer_events';
export const RELAY_NAME = 'customer_events';
/** Session advisory lock held by the one active relay among all processes on the database. */
const RELAY_LOCK_KEY = 7_246_001;
const STANDBY_RETRY_MS = 200;
const FAILURE_RETRY_MS = 1000;
/**
 * SQLSTATEs of a run that lost a race with a concurrent writer (an endpoint deleted under the
 * REPEATABLE READ snapshot, say): routine, retried at once. Anything else, or this many conflicts
 * in a row, is an outage: logged and retried after FAILURE_RETRY_MS.
 */
const CONFLICTS = new Set(['40001', '40P01']);
const MAX_CONFLICT_RETRIES = 20;

/** Positions in `customer_event_stream` that one relay run published, first to last. */
export interface PublishedRange {
  first: number;
  last: number;
}

/**
 * Work that must happen exactly once per published event (webhook deliveries): `inTransaction` runs
 * on the relay's connection inside its publishing transaction, so it commits or rolls back with the
 * publication; `afterCommit` runs in this process once it has committed.
 */
export interface EventRelaySubscriber {
  inTransaction(client: ClientBase, published: PublishedRange): Promise<void>;
  afterCommit?(): void;
}

/**
 * Publishes committed customer events with NOTIFY, outside the writers' transactions (NOTIFY takes
 * a database-wide lock from pre-commit to commit, which would queue every writer behind every other).
 *
 * Exactly one process relays at a time (a session advisory lock on the relay's own connection; if
 * that connection dies the lock goes with it and a standby takes over). Each run, in one
 * REPEATABLE READ transaction: take a snapshot, read the events of transactions that the previous
 * run's snapshot did not see as committed (its in-progress list, or ids at or past its xmax) and
 * this one does, append them to `customer_event_stream` (whose `position` is commit-ordered, unlike
 * the events' insertion sequence), NOTIFY them in that order, and store the new snapshot. Publishing
 * and the stored snapshot commit together, so a restart resumes exactly where the last run stopped.
 * Per customer the order is commit order: writers hold the customer's row lock, so a later change's
 * transaction id is assigned after the earlier change committed.
 */
@Injectable()
export class CustomerEventRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CustomerEventRelay.name);
  private client?: Client;
  private leading = false;
  private stopped = false;
  private running?: Promise<void>;
  /** Woken by a commit in this process (the next run starts at once) and by shutdown. */
  private readonly waker = new Waker();
  private readonly subscribers: EventRelaySubscriber[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly metrics: MetricsService,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * A change committed in this process: if this process relays, run now instead of at the next poll
   * (a run in progress absorbs the nudges of its time, so a burst costs one run, not one each).
   */
  publishSoon(): void {
    if (this.leading) this.waker.wake();
  }

  subscribe(subscriber: EventRelaySubscriber): void {
    this.subscribers.push(subscriber);
  }

  onApplicationBootstrap(): void {
    if (!this.config.get('EVENT_RELAY_ENABLED', { infer: true })) return;
    this.running = this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.waker.wake();
    await this.running;
    await this.disconnect();
  }

  private async loop(): Promise<void> {
    const interval = this.config.get('EVENT_RELAY_INTERVAL_MS', { infer: true });
    while (!this.stopped) {
      let pause = interval;
      this.waker.reset();
      try {
        if (!this.leading) {
          this.leading = await this.tryToLead();
          if (!this.leading) pause = STANDBY_RETRY_MS;
        }
        if (this.leading && (await this.publishRetryingConflicts()) > 0) pause = 0;
      } catch (error) {
        if (!this.stopped) this.logger.warn(`Event relay paused: ${(error as Error).message}; retrying in ${FAILURE_RETRY_MS} ms`);
        await this.disconnect();
        pause = FAILURE_RETRY_MS;
      }
      await this.waker.pause(pause);
    }
  }

  private async publishRetryingConflicts(): Promise<number> {
    for (let conflicts = 0; ; conflicts++) {
      try {
        return await this.publishCommitted();
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (this.stopped || code === undefined || !CONFLICTS.has(code) || conflicts >= MAX_CONFLICT_RETRIES) throw error;
        this.metrics.eventRelayConflictRetried();
        this.logger.debug(`Event relay run conflicted with a concurrent writer (${(error as Error).message}); retrying at once`);
      }
    }
  }

  private async tryToLead(): Promise<boolean> {
    if (!this.client) {
      const client = new Client({ connectionString: (this.dataSource.options as { url: string }).url, application_name: 'customer-admin-api event relay' });
      client.on('error', () => undefined); // surfaced by the next query, which the loop handles
      await client.connect();
      this.client = client;
    }
    const { rows } = await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK_KEY]);
    if (rows[0].locked) this.logger.debug('This process relays customer events');
    return rows[0].locked;
  }

  /** One relay run; returns how many events it published. */
  async publishCommitted(): Promise<number> {
    const client = this.client!;
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      // The first statement fixes the transaction's snapshot, and with it what counts as committed.
      const {
        rows: [{ snapshot }],
      } = await client.query<{ snapshot: string }>('SELECT pg_current_snapshot()::text AS snapshot');
      const {
        rows: [state],
      } = await client.query<{ snapshot: string }>('SELECT snapshot FROM event_relay_state WHERE relay = $1', [RELAY_NAME]);
      if (!state) {
        await client.query('INSERT INTO event_relay_state (relay, snapshot) VALUES ($1, $2)', [RELAY_NAME, snapshot]);
        await client.query('COMMIT');
        return 0;
      }
      const { rows: events } = await client.query<{ event_id: string }>(
        `SELECT event_id FROM customer_events
         WHERE transaction_id >= pg_snapshot_xmax($1::pg_snapshot)::text::bigint
            OR transaction_id IN (SELECT xid::text::bigint FROM pg_snapshot_xip($1::pg_snapshot) AS xid)
         ORDER BY transaction_id, sequence`,
        [state.snapshot],
      );
      if (events.length > 0) {
        const {
          rows: [published],
        } = await client.query<{ first: string; last: string }>(
          `WITH published AS (
             INSERT INTO customer_event_stream (event_id)
             SELECT event_id FROM unnest($1::uuid[]) WITH ORDINALITY AS published(event_id, n) ORDER BY n
             RETURNING position, event_id
           )
           SELECT count(pg_notify($2, payload)) AS notified, min(position)::int8 AS first, max(position)::int8 AS last FROM (
             SELECT json_build_object('event_id', e.event_id, 'customer_id', e.customer_id, 'type', e.type, 'position', p.position)::text AS payload, p.position
             FROM published p JOIN customer_events e USING (event_id)
             ORDER BY p.position
           ) ordered`,
          [events.map((event) => event.event_id), CUSTOMER_EVENTS_CHANNEL],
        );
        for (const subscriber of this.subscribers) await subscriber.inTransaction(client, { first: Number(published.first), last: Number(published.last) });
        await client.query('UPDATE event_relay_state SET snapshot = $2, updated_at = now() WHERE relay = $1', [RELAY_NAME, snapshot]);
      }
      await client.query('COMMIT');
      if (events.length > 0) for (const subscriber of this.subscribers) subscriber.afterCommit?.();
      return events.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.leading = false;
    await client?.end().catch(() => undefined);
  }
}
