import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ClientBase } from 'pg';
import { DataSource } from 'typeorm';
import { KeysetPages, KeysetRows } from '../database/keyset-pages';
import { typeormPool } from '../database/typeorm-pool';
import type { CustomerEventChanges, CustomerEventType, CustomerSnapshot } from '../events/customer-event.entity';
import type { PublishedRange } from '../events/customer-event-relay';
import type { WebhookAttemptResult } from './webhook-sender';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';

/** A delivery a worker has leased, with what it needs to send it: the endpoint's URL and secrets and the event. */
export interface ClaimedDelivery {
  delivery_id: string;
  webhook_endpoint_id: string;
  event_id: string;
  customer_id: string;
  event_type: CustomerEventType;
  /** This attempt's number, 1 for the first. */
  attempts: number;
  max_attempts: number;
  url: string;
  secret: string;
  /** The secret before a rotation, while deliveries are still signed with it. */
  previous_secret: string | null;
  event_created_at: Date;
  changes: CustomerEventChanges;
  actor: string;
  customer: CustomerSnapshot | null;
}

export interface DeliveryOutcome {
  status: WebhookDeliveryStatus;
  nextAttemptAt: Date | null;
  result: WebhookAttemptResult;
}

const PENDING = WebhookDeliveryStatus.Pending;

/** Every query on webhook deliveries: creation by the relay, the workers' claims and outcomes, and the API's list. */
@Injectable()
export class WebhookDeliveriesRepository {
  private pages?: KeysetPages<WebhookDelivery>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Rows of a statement on TypeORM's pool (DataSource.query returns `[rows, count]` for UPDATE … RETURNING). */
  private async rows<T extends object>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await typeormPool(this.dataSource).query<T>(text, values)).rows;
  }

  /**
   * One delivery per published event and enabled endpoint subscribed to its type, in the relay's
   * transaction: created exactly when the event is published, in its position order.
   */
  async createForPublished(client: ClientBase, { first, last }: PublishedRange, maxAttempts: number): Promise<number> {
    const { rowCount } = await client.query(
      `INSERT INTO webhook_deliveries (webhook_endpoint_id, event_id, customer_id, event_type, position, max_attempts, next_attempt_at)
       SELECT w.webhook_endpoint_id, e.event_id, e.customer_id, e.type, s.position, $3, now()
       FROM customer_event_stream s
       JOIN customer_events e USING (event_id)
       JOIN webhook_endpoints w ON w.enabled AND e.type = ANY (w.event_types)
       WHERE s.position BETWEEN $1 AND $2
       ORDER BY s.position, w.webhook_endpoint_id`,
      [first, last, maxAttempts],
    );
    return rowCount ?? 0;
  }

  /** The newest published position (0 when nothing was published yet). */
  async lastPublishedPosition(): Promise<number> {
    const [row] = await this.rows<{ last: string | number | null }>('SELECT max(position) AS last FROM customer_event_stream');
    return Number(row.last ?? 0);
  }

  /**
   * A replay: one new delivery (`replay`) per published event in (after, until] that the endpoint
   * subscribes to, due now; the worker sends them in order per customer like live ones.
   */
  async createReplay(endpointId: string, after: number, until: number, maxAttempts: number): Promise<number> {
    const [{ created }] = await this.rows<{ created: number }>(
      `WITH inserted AS (
       INSERT INTO webhook_deliveries (webhook_endpoint_id, event_id, customer_id, event_type, position, max_attempts, next_attempt_at, replay)
       SELECT w.webhook_endpoint_id, e.event_id, e.customer_id, e.type, s.position, $4, now(), true
       FROM customer_event_stream s
       JOIN customer_events e USING (event_id)
       JOIN webhook_endpoints w ON w.webhook_endpoint_id = $1 AND e.type = ANY (w.event_types)
       WHERE s.position > $2 AND s.position <= $3
       ORDER BY s.position
       RETURNING 1)
       SELECT count(*)::int AS created FROM inserted`,
      [endpointId, after, until, maxAttempts],
    );
    return created;
  }

  /**
   * Leases up to `limit` due deliveries of enabled endpoints and counts the attempt. A delivery is
   * due only when no earlier delivery to its endpoint for its customer is still pending (per
   * endpoint and customer, in order); SKIP LOCKED and the lease keep two workers off one delivery.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.rows<ClaimedDelivery>(
      `UPDATE webhook_deliveries d
       SET attempts = d.attempts + 1, leased_until = now() + make_interval(secs => $2::float8 / 1000), last_attempt_at = now(), updated_at = now()
       FROM webhook_endpoints w, customer_events e
       WHERE d.delivery_id IN (
           SELECT c.delivery_id FROM webhook_deliveries c
           JOIN webhook_endpoints cw ON cw.webhook_endpoint_id = c.webhook_endpoint_id AND cw.enabled
           WHERE c.status = $3 AND c.next_attempt_at <= now() AND (c.leased_until IS NULL OR c.leased_until < now())
             AND NOT EXISTS (
               SELECT 1 FROM webhook_deliveries earlier
               WHERE earlier.webhook_endpoint_id = c.webhook_endpoint_id AND earlier.customer_id = c.customer_id
                 AND earlier.status = $3 AND earlier.position < c.position)
           ORDER BY c.next_attempt_at, c.position
           LIMIT $1
           FOR UPDATE OF c SKIP LOCKED)
         AND w.webhook_endpoint_id = d.webhook_endpoint_id AND e.event_id = d.event_id
       RETURNING d.delivery_id, d.webhook_endpoint_id, d.event_id, d.customer_id, d.event_type, d.attempts, d.max_attempts,
         w.url, w.secret, CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END AS previous_secret,
         e.created_at AS event_created_at, e.changes, e.actor, e.customer`,
      [limit, leaseMs, PENDING],
    );
  }

  /** Extends the leases of attempts still owned (same attempt number, still pending); returns the ids whose lease was extended. */
  async renewLeases(attempts: readonly ClaimedDelivery[], leaseMs: number): Promise<Set<string>> {
    const rows = await this.rows<{ delivery_id: string }>(
      `UPDATE webhook_deliveries d SET leased_until = now() + make_interval(secs => $3::float8 / 1000)
       FROM unnest($1::uuid[], $2::int[]) AS owned(delivery_id, attempts)
       WHERE d.delivery_id = owned.delivery_id AND d.attempts = owned.attempts AND d.status = $4
       RETURNING d.delivery_id`,
      [attempts.map((attempt) => attempt.delivery_id), attempts.map((attempt) => attempt.attempts), leaseMs, PENDING],
    );
    return new Set(rows.map((row) => row.delivery_id));
  }

  /**
   * Records an attempt's outcome, unless the lease was lost meanwhile (another worker's attempt then
   * owns the row); a success also ends the endpoint's run of failures, in the same statement.
   */
  async recordAttempt(delivery: ClaimedDelivery, { status, nextAttemptAt, result }: DeliveryOutcome): Promise<void> {
    await this.rows(
      `WITH recorded AS (
         UPDATE webhook_deliveries
         SET status = $3, next_attempt_at = $4, leased_until = NULL, last_response_status = $5, last_response_body = $6,
             last_error = $7, last_duration_ms = $8, updated_at = now()
         WHERE delivery_id = $1 AND attempts = $2
         RETURNING webhook_endpoint_id)
       UPDATE webhook_endpoints SET failing_since = NULL
       WHERE $3 = $9 AND failing_since IS NOT NULL AND webhook_endpoint_id IN (SELECT webhook_endpoint_id FROM recorded)`,
      [
        delivery.delivery_id,
        delivery.attempts,
        status,
        nextAttemptAt,
        result.status,
        result.responseBody,
        result.error?.slice(0, 500) ?? null,
        result.durationMs,
        WebhookDeliveryStatus.Succeeded,
      ],
    );
  }

  /** Gives back a lease without counting the attempt (the send was interrupted by shutdown). */
  async release(delivery: ClaimedDelivery): Promise<void> {
    await this.rows('UPDATE webhook_deliveries SET leased_until = NULL, attempts = attempts - 1, updated_at = now() WHERE delivery_id = $1 AND attempts = $2', [
      delivery.delivery_id,
      delivery.attempts,
    ]);
  }

  /** Starts (or continues) the endpoint's run of failures; returns when it began, or null if the endpoint is gone or disabled. */
  async markEndpointFailing(endpointId: string, attemptStartedAt: Date): Promise<Date | null> {
    const rows = await this.rows<{ failing_since: Date }>(
      'UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $2) WHERE webhook_endpoint_id = $1 AND enabled RETURNING failing_since',
      [endpointId, attemptStartedAt],
    );
    return rows[0]?.failing_since ?? null;
  }

  /** Disables an enabled endpoint with the reason; true when this call disabled it. */
  async disableEndpoint(endpointId: string, reason: string): Promise<boolean> {
    const rows = await this.rows(
      `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, disabled_at = now(), updated_at = now()
       WHERE webhook_endpoint_id = $1 AND enabled RETURNING 1`,
      [endpointId, reason],
    );
    return rows.length > 0;
  }

  /** Deletes up to `batch` finished deliveries last changed more than `days` ago; returns how many. */
  async deleteFinishedBefore(days: number, batch: number): Promise<number> {
    const rows = await this.rows(
      `DELETE FROM webhook_deliveries WHERE delivery_id IN (
         SELECT delivery_id FROM webhook_deliveries
         WHERE status <> $3 AND updated_at < now() - make_interval(days => $1)
         LIMIT $2)
       RETURNING 1`,
      [days, batch, PENDING],
    );
    return rows.length;
  }

  /** Seconds since the oldest delivery still pending to an enabled endpoint was created; 0 when none is. */
  async oldestPendingAgeSeconds(): Promise<number> {
    const [row] = await this.rows<{ age: number }>(
      `SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(d.created_at)), 0)::float8 AS age
       FROM webhook_deliveries d JOIN webhook_endpoints w USING (webhook_endpoint_id)
       WHERE d.status = $1 AND w.enabled`,
      [PENDING],
    );
    return Number(row.age);
  }

  /** An endpoint's deliveries, newest first by event position. */
  page(
    endpointId: string,
    status: WebhookDeliveryStatus | undefined,
    afterDeliveryId: string | undefined,
    limit: number,
  ): Promise<KeysetRows<WebhookDelivery>> {
    this.pages ??= new KeysetPages(this.dataSource, WebhookDelivery, {
      table: 'webhook_deliveries',
      // A replay delivers an event again at its position: the id breaks the tie.
      order: ['position', 'delivery_id'],
      id: 'delivery_id',
      scope: ['webhook_endpoint_id'],
    });
    return this.pages.read({
      scope: { webhook_endpoint_id: endpointId },
      where: { status: [(p) => `status = ${p}`, status] },
      afterId: afterDeliveryId,
      limit,
    });
  }

  findOne(endpointId: string, deliveryId: string): Promise<WebhookDelivery | null> {
    return this.dataSource.manager.findOneBy(WebhookDelivery, { webhook_endpoint_id: endpointId, delivery_id: deliveryId });
  }

  /** Makes a delivery pending and due now, with one more attempt allowed than it has made. */
  async scheduleRetry(endpointId: string, deliveryId: string): Promise<boolean> {
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({ status: PENDING, next_attempt_at: () => 'now()', max_attempts: () => 'GREATEST(max_attempts, attempts + 1)' })
      .where('delivery_id = :deliveryId AND webhook_endpoint_id = :endpointId', { deliveryId, endpointId })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
