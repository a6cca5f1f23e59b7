import { retryDelayMs } from '../config/retry-schedule';
import type { WebhookAttemptResult } from './webhook-sender';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';

export type AttemptVerdict =
  | { status: WebhookDeliveryStatus.Succeeded }
  | { status: WebhookDeliveryStatus.Pending; nextAttemptAt: Date }
  | { status: WebhookDeliveryStatus.Failed; endpointGone: boolean };

/**
 * What an attempt means for its delivery: any 2xx succeeds; 410 Gone gives up and disables the
 * endpoint; anything else (another status, a redirect, a timeout, a refused connection) is retried
 * on the schedule until its attempts run out.
 */
export function judgeAttempt(
  result: WebhookAttemptResult,
  attempt: { attempts: number; max_attempts: number },
  waits: readonly number[],
  now: Date,
  random: () => number = Math.random,
): AttemptVerdict {
  if (result.status !== null && result.status >= 200 && result.status < 300) return { status: WebhookDeliveryStatus.Succeeded };
  if (result.status === 410) return { status: WebhookDeliveryStatus.Failed, endpointGone: true };
  const delay = attempt.attempts < attempt.max_attempts ? retryDelayMs(waits, attempt.attempts, random) : undefined;
  if (delay === undefined) return { status: WebhookDeliveryStatus.Failed, endpointGone: false };
  return { status: WebhookDeliveryStatus.Pending, nextAttemptAt: new Date(now.getTime() + delay) };
}
