import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { parseRetrySchedule } from '../config/retry-schedule';

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

  constructor(config: ConfigService) {
    const environment = config.get<string>('NODE_ENV');
    this.deliveryEnabled = config.get<boolean>('WEBHOOK_DELIVERY_ENABLED') ?? true;
    this.allowHttp = environment !== 'production' || config.get<boolean>('WEBHOOK_ALLOW_HTTP') === true;
    this.allowPrivateNetworks = config.get<boolean>('WEBHOOK_ALLOW_PRIVATE_NETWORKS') ?? environment === 'development';
    this.timeoutMs = config.get<number>('WEBHOOK_TIMEOUT_MS') ?? 10_000;
    this.retryWaitsMs = parseRetrySchedule(config.get<string>('WEBHOOK_RETRY_SCHEDULE')!);
    this.maxAttempts = this.retryWaitsMs.length + 1;
    this.disableAfterFailingMs = (config.get<number>('WEBHOOK_DISABLE_AFTER_FAILING_SECONDS') ?? 86_400) * 1000;
    this.pollIntervalMs = config.get<number>('WEBHOOK_POLL_INTERVAL_MS') ?? 250;
    this.concurrency = config.get<number>('WEBHOOK_CONCURRENCY') ?? 16;
    this.retentionDays = config.get<number>('WEBHOOK_DELIVERY_RETENTION_DAYS') ?? 30;
  }
}
