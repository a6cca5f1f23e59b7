import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import type { ClientBase } from 'pg';
import { Waker } from '../events/waker';
import { CustomerEventRelay, PublishedRange } from '../events/customer-event-relay';
import { CustomerSnapshots } from '../events/customer-snapshots';
import { MetricsService } from '../metrics/metrics.service';
import { ClaimedDelivery, WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { judgeAttempt } from './webhook-delivery-outcome';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';
import { webhookPayload } from './webhook-payload';
import { sendWebhook } from './webhook-sender';
import { WebhookSettings } from './webhook-settings';
import { webhookHeaders } from './webhook-signature';
import { WebhookSecretCipher } from './webhook-secret-cipher';

const FAILURE_RETRY_MS = 1000;
/**
 * A claimed delivery's lease: short, and renewed every LEASE_RENEW_MS while its attempt runs, so the
 * deliveries of an instance that died (and every later delivery of their customers, held behind them
 * for ordering) are taken over within about LEASE_MS instead of waiting out a whole attempt's timeout.
 * The gap between the two is what a live worker may stall (GC, a slow database) without losing a lease.
 */
export const LEASE_MS = 8_000;
const LEASE_RENEW_MS = 2_000;
export const GONE_REASON = 'The receiver answered 410 Gone';
const PRUNE_INTERVAL_MS = 3_600_000;
const PRUNE_BATCH = 1000;

/**
 * Sends webhook deliveries: every process runs one, and claims due deliveries from the database
 * (see WebhookDeliveriesRepository.claim), so deliveries survive restarts and each is sent by one
 * process. Woken at once when this process's relay publishes, else polls.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private readonly inFlight = new Map<string, { attempt: ClaimedDelivery; abort: AbortController; done: Promise<void> }>();
  private renewing?: NodeJS.Timeout;
  private readonly interrupt = new AbortController();
  private stopped = false;
  private running?: Promise<void>;
  private readonly waker = new Waker();
  private nextPruneAt = 0;

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly settings: WebhookSettings,
    private readonly relay: CustomerEventRelay,
    private readonly snapshots: CustomerSnapshots,
    private readonly metrics: MetricsService,
    private readonly cipher: WebhookSecretCipher,
  ) {}

  onModuleInit(): void {
    this.relay.subscribe({
      inTransaction: (client: ClientBase, published: PublishedRange) =>
        this.deliveries.createForPublished(client, published, this.settings.maxAttempts).then(() => undefined),
      afterCommit: () => this.wake(),
    });
    this.metrics.gaugeFromQuery(
      'webhook_oldest_pending_delivery_age_seconds',
      'Age of the oldest webhook delivery still pending to an enabled endpoint (0 when none is)',
      () => this.deliveries.oldestPendingAgeSeconds(),
    );
  }

  onApplicationBootstrap(): void {
    if (!this.settings.deliveryEnabled) return;
    this.running = this.loop();
    this.renewing = setInterval(() => void this.renewLeases(), LEASE_RENEW_MS).unref();
  }

  /**
   * Extends the leases of this worker's attempts in flight (one statement for all of them). An
   * attempt whose lease was lost meanwhile (this process stalled past LEASE_MS and another worker
   * claimed the delivery) is aborted: one worker per attempt.
   */
  private async renewLeases(): Promise<void> {
    const attempts = [...this.inFlight.values()].map(({ attempt }) => attempt);
    if (attempts.length === 0 || this.stopped) return;
    try {
      const kept = await this.deliveries.renewLeases(attempts, LEASE_MS);
      for (const attempt of attempts) {
        if (!kept.has(attempt.delivery_id)) this.inFlight.get(attempt.delivery_id)?.abort.abort(new Error('lease lost to another worker'));
      }
    } catch (error) {
      if (!this.stopped) this.logger.warn(`Webhook leases not renewed: ${(error as Error).message}`);
    }
  }

  /** Before the database pool closes (TypeORM closes it on application shutdown): interrupted sends give their leases back. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.renewing);
    this.interrupt.abort();
    this.wake();
    await this.running;
    await Promise.all([...this.inFlight.values()].map(({ done }) => done));
  }

  /** Look for due deliveries now (a publication, a retry requested through the API). */
  wake(): void {
    this.waker.wake();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let pause = this.settings.pollIntervalMs;
      // Reset before looking, so a wake-up during the claim is not lost; with every slot busy the
      // loop then pauses until a send finishes (its wake-up) instead of spinning.
      this.waker.reset();
      try {
        if (Date.now() >= this.nextPruneAt) {
          this.nextPruneAt = Date.now() + PRUNE_INTERVAL_MS;
          await this.pruneDeliveries();
        }
        const free = this.settings.concurrency - this.inFlight.size;
        if (free > 0) {
          const claimed = await this.deliveries.claim(free, LEASE_MS);
          for (const delivery of claimed) this.start(delivery);
          // A full batch may have left more behind; with free slots, look again at once.
          if (claimed.length === free && this.inFlight.size < this.settings.concurrency) pause = 0;
        }
      } catch (error) {
        if (!this.stopped) this.logger.warn(`Webhook delivery paused: ${(error as Error).message}; retrying in ${FAILURE_RETRY_MS} ms`);
        pause = FAILURE_RETRY_MS;
      }
      await this.waker.pause(pause);
    }
  }

  /** The delivery log keeps finished deliveries for WEBHOOK_DELIVERY_RETENTION_DAYS; pending ones stay until they finish. */
  async pruneDeliveries(): Promise<number> {
    let deleted = 0;
    for (let batch = PRUNE_BATCH; batch === PRUNE_BATCH && !this.stopped; deleted += batch) {
      batch = await this.deliveries.deleteFinishedBefore(this.settings.retentionDays, PRUNE_BATCH);
    }
    if (deleted > 0) this.logger.log(`Deleted ${deleted} webhook deliveries finished more than ${this.settings.retentionDays} days ago`);
    return deleted;
  }

  private start(delivery: ClaimedDelivery): void {
    const abort = new AbortController();
    const done = this.deliver(delivery, abort.signal)
      .catch((error: Error) => this.logger.error(`Webhook delivery ${delivery.delivery_id} could not be recorded: ${error.message}`))
      .finally(() => {
        this.inFlight.delete(delivery.delivery_id);
        this.wake();
      });
    this.inFlight.set(delivery.delivery_id, { attempt: delivery, abort, done });
  }

  /** `leaseLost` aborts the send when another worker took the delivery over (see renewLeases). */
  private async deliver(delivery: ClaimedDelivery, leaseLost: AbortSignal): Promise<void> {
    const startedAt = new Date();
    // An event written by a version from before events kept the customer: sent with the customer as it is now.
    delivery.customer ??= await this.snapshots.current(delivery.customer_id);
    const body = webhookPayload(delivery);
    const secrets = this.secretsOf(delivery);
    const result = Array.isArray(secrets)
      ? await sendWebhook(
          { url: delivery.url, headers: { ...webhookHeaders(secrets, delivery.event_id, Math.floor(startedAt.getTime() / 1000), body) }, body },
          {
            timeoutMs: this.settings.timeoutMs,
            allowPrivateNetworks: this.settings.allowPrivateNetworks,
            signal: AbortSignal.any([this.interrupt.signal, leaseLost]),
          },
        )
      : { status: null, responseBody: null, error: secrets.error, durationMs: 0 };
    if (this.stopped && result.status === null) {
      await this.deliveries.release(delivery);
      return;
    }
    // The attempt now belongs to another worker: it records the outcome, not this one.
    if (leaseLost.aborted) return;
    const verdict = judgeAttempt(result, delivery, this.settings.retryWaitsMs, new Date());
    const nextAttemptAt = verdict.status === WebhookDeliveryStatus.Pending ? verdict.nextAttemptAt : null;
    await this.deliveries.recordAttempt(delivery, { status: verdict.status, nextAttemptAt, result });
    this.metrics.webhookAttempt(verdict.status === WebhookDeliveryStatus.Pending ? 'retrying' : verdict.status, result.durationMs / 1000);

    // A success ended the endpoint's run of failures in recordAttempt.
    if (verdict.status === WebhookDeliveryStatus.Succeeded) return;
    if (verdict.status === WebhookDeliveryStatus.Failed && verdict.endpointGone) {
      await this.disable(delivery.webhook_endpoint_id, 'gone', GONE_REASON);
    } else {
      const failingSince = await this.deliveries.markEndpointFailing(delivery.webhook_endpoint_id, startedAt);
      if (failingSince && Date.now() - failingSince.getTime() >= this.settings.disableAfterFailingMs) {
        await this.disable(delivery.webhook_endpoint_id, 'failing', failingFor(this.settings.disableAfterFailingMs, failingSince));
      }
    }
  }

  /** The endpoint's signing secrets in clear, newest first; an attempt error when they cannot be decrypted (a key missing from the configuration). */
  private secretsOf(delivery: ClaimedDelivery): string[] | { error: string } {
    try {
      const secrets = [this.cipher.decrypt(delivery.secret, delivery.webhook_endpoint_id)];
      if (delivery.previous_secret) secrets.push(this.cipher.decrypt(delivery.previous_secret, delivery.webhook_endpoint_id));
      return secrets;
    } catch (error) {
      const message = `Not sent: ${(error as Error).message}`;
      this.logger.error(`Webhook delivery ${delivery.delivery_id}: ${message}`);
      return { error: message };
    }
  }

  private async disable(endpointId: string, reason: 'gone' | 'failing', detail: string): Promise<void> {
    if (await this.deliveries.disableEndpoint(endpointId, detail)) {
      this.metrics.webhookEndpointDisabled(reason);
      this.logger.warn(`Webhook endpoint ${endpointId} disabled: ${detail}`);
    }
  }
}

function failingFor(thresholdMs: number, since: Date): string {
  const hours = thresholdMs / 3_600_000;
  const span = hours >= 1 && Number.isInteger(hours) ? `${hours} hour${hours === 1 ? '' : 's'}` : `${Math.round(thresholdMs / 1000)} s`;
  return `Every delivery attempt failed for ${span} (since ${since.toISOString()})`;
}
