import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { parseRetrySchedule } from '../config/retry-schedule';
import type { EnvironmentVariables } from '../config/environment';

/** The webhook environment variables, read once (validated at boot in config/environment.ts). */
@Injectable()
export class WebhookSettings {
  readonly deliveryEnabled: boolean;
  /** Plain http:// URLs: always outside production, in production only with WEBHOOK_ALLOW_HTTP=true. */
  readonly allowHttp: boolean;
  readonly allowPrivateNetworks: boolean;
  readonly timeoutMs: number;
  readonly retryWaitsMs: number[];
  readonly maxAttempts: number;
  readonly disableAfterFailingMs: number;
  readonly pollIntervalMs: number;
  readonly concurrency: number;
  readonly retentionDays: number;

  constructor(config: ConfigService<EnvironmentVariables, true>) {
    const environment = config.get('NODE_ENV', { infer: true });
    this.deliveryEnabled = config.get('WEBHOOK_DELIVERY_ENABLED', { infer: true });
    this.allowHttp = environment !== 'production' || config.get('WEBHOOK_ALLOW_HTTP', { infer: true });
    this.allowPrivateNetworks = config.get('WEBHOOK_ALLOW_PRIVATE_NETWORKS', { infer: true });
    this.timeoutMs = config.get('WEBHOOK_TIMEOUT_MS', { infer: true });
    this.retryWaitsMs = parseRetrySchedule(config.get('WEBHOOK_RETRY_SCHEDULE', { infer: true }));
    this.maxAttempts = this.retryWaitsMs.length + 1;
    this.disableAfterFailingMs = config.get('WEBHOOK_DISABLE_AFTER_FAILING_SECONDS', { infer: true }) * 1000;
    this.pollIntervalMs = config.get('WEBHOOK_POLL_INTERVAL_MS', { infer: true });
    this.concurrency = config.get('WEBHOOK_CONCURRENCY', { infer: true });
    this.retentionDays = config.get('WEBHOOK_DELIVERY_RETENTION_DAYS', { infer: true });
  }
}
