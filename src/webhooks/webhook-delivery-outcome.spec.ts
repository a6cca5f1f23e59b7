import { judgeAttempt } from './webhook-delivery-outcome';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';
import type { WebhookAttemptResult } from './webhook-sender';

describe('judgeAttempt', () => {
  const waits = [1000, 5000];
  const now = new Date('2026-11-28T12:00:00Z');
  const result = (status: number | null, error: string | null = null): WebhookAttemptResult => ({ status, error, responseBody: null, durationMs: 3 });
  const half = () => 0.5;

  it.each([200, 201, 204, 299])('%i succeeds', (status) => {
    expect(judgeAttempt(result(status), { attempts: 1, max_attempts: 3 }, waits, now)).toEqual({ status: WebhookDeliveryStatus.Succeeded });
  });

  it('410 gives up at once and says the endpoint is gone', () => {
    expect(judgeAttempt(result(410), { attempts: 1, max_attempts: 3 }, waits, now)).toEqual({ status: WebhookDeliveryStatus.Failed, endpointGone: true });
  });

  it.each([[500], [404], [301], [null]])('%s is retried after the scheduled wait', (status) => {
    expect(judgeAttempt(result(status, status === null ? 'Connection refused' : null), { attempts: 2, max_attempts: 3 }, waits, now, half)).toEqual({
      status: WebhookDeliveryStatus.Pending,
      nextAttemptAt: new Date(now.getTime() + 5000),
    });
  });

  it('gives up when the attempts or the schedule run out', () => {
    expect(judgeAttempt(result(500), { attempts: 3, max_attempts: 3 }, waits, now)).toEqual({ status: WebhookDeliveryStatus.Failed, endpointGone: false });
    // A manual retry raised max_attempts past the schedule: its failure is final too.
    expect(judgeAttempt(result(500), { attempts: 4, max_attempts: 5 }, waits, now)).toEqual({ status: WebhookDeliveryStatus.Failed, endpointGone: false });
  });
});
