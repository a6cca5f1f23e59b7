import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { ProblemException } from '../http/problem.exception';

/**
 * The library's guard through its extension points: one bucket per admin key across all routes (per
 * client address for the few public routes), answered as problem details with Retry-After and the
 * IETF `RateLimit-Limit/Remaining/Reset` headers.
 */
@Injectable()
export class AdminThrottlerGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const { adminKey, ip } = request as unknown as AuthenticatedRequest;
    return adminKey ? `key:${adminKey.name}` : `ip:${ip}`;
  }

  /** The default keys buckets by route (a sha256 per request); a key's budget is shared by every route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `throttle:${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = detail.timeToBlockExpire;
    throw new ProblemException(
      HttpStatus.TOO_MANY_REQUESTS,
      `Too many requests: this admin key may make ${detail.limit} requests per ${Math.round(detail.ttl / 1000)} s. Retry in ${seconds} s.`,
      [],
      undefined,
      { 'Retry-After': String(seconds), 'RateLimit-Limit': String(detail.limit), 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(seconds) },
    );
  }
}
