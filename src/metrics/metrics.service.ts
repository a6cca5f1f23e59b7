import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type WebhookAttemptOutcome = 'succeeded' | 'retrying' | 'failed';

/** Prometheus metrics in a registry of this app's own (tests start several apps in one process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  private readonly webhookAttempts = new Counter({
    name: 'webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts by outcome: succeeded, retrying (failed, another attempt is scheduled) or failed (given up)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly webhookAttemptDuration = new Histogram({
    name: 'webhook_delivery_attempt_duration_seconds',
    help: 'Time from sending a webhook to its response (or error)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly webhookEndpointsDisabled = new Counter({
    name: 'webhook_endpoints_disabled_total',
    help: 'Webhook endpoints disabled by the service, by reason: gone (410) or failing',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly eventRelayConflictRetries = new Counter({
    name: 'event_relay_conflict_retries_total',
    help: 'Event relay runs that conflicted with a concurrent writer (serialization failure or deadlock) and were retried at once',
    registers: [this.registry],
  });

  private readonly scheduledChanges = new Counter({
    name: 'scheduled_changes_total',
    help: 'Scheduled customer changes that fell due, by outcome: applied, or failed (the customer refused them; left untouched)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    for (const outcome of ['succeeded', 'retrying', 'failed'] as const) this.webhookAttempts.inc({ outcome }, 0);
    for (const outcome of ['applied', 'failed'] as const) this.scheduledChanges.inc({ outcome }, 0);
  }

  scheduledChangeApplied(outcome: 'applied' | 'failed'): void {
    this.scheduledChanges.inc({ outcome });
  }

  webhookAttempt(outcome: WebhookAttemptOutcome, seconds: number): void {
    this.webhookAttempts.inc({ outcome });
    this.webhookAttemptDuration.observe(seconds);
  }

  eventRelayConflictRetried(): void {
    this.eventRelayConflictRetries.inc();
  }

  webhookEndpointDisabled(reason: 'gone' | 'failing'): void {
    this.webhookEndpointsDisabled.inc({ reason });
  }

  /** A gauge read from the database at each scrape; on a database error the scrape shows the last value. */
  gaugeFromQuery(name: string, help: string, read: () => Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        try {
          this.set(await read());
        } catch {
          // Keep the previous value: a scrape must not fail because the database is briefly away.
        }
      },
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.duration.observe({ method, route }, seconds);
  }
}
