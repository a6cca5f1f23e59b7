import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import {
  THROTTLER_BLOCK_DURATION,
  THROTTLER_KEY_GENERATOR,
  THROTTLER_LIMIT,
  THROTTLER_SKIP,
  THROTTLER_TRACKER,
  THROTTLER_TTL,
} from '@nestjs/throttler/dist/throttler.constants';
import type { Request, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { ProblemException } from '../common/problem.exception';

/** What the library's guard works out per request from the throttlers and the route's decorators; constant per route. */
interface RoutePlan {
  name: string;
  suffix: string;
  limit: number;
  ttl: number;
  blockDuration: number;
}

/**
 * Per admin key limits (per client IP for the few public routes), answered as problem details with
 * Retry-After and the IETF `RateLimit-Limit/Remaining/Reset` headers.
 *
 * The library's guard reads ten decorator values through the Reflector and awaits six promises on
 * every request (~15 µs of a ~250 µs GET here, BENCHMARKS.md); what it reads is constant per route,
 * so it is worked out once per route and kept. A route whose values are functions of the request
 * (`@Throttle({ default: { limit: (context) => … } })`, skipIf, per-route trackers) goes the
 * library's way on every request.
 */
@Injectable()
export class AdminThrottlerGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';
  private readonly plans = new WeakMap<object, RoutePlan[] | 'dynamic'>();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    let plan = this.plans.get(handler);
    if (plan === undefined) this.plans.set(handler, (plan = this.planFor(context)));
    if (plan === 'dynamic') return super.canActivate(context);
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const tracker = this.trackerOf(request);
    for (const throttler of plan) {
      const key = this.generateKey(context, tracker, throttler.name);
      const hits = await this.storageService.increment(key, throttler.ttl, throttler.limit, throttler.blockDuration, throttler.name);
      if (hits.isBlocked) {
        response.setHeader(`Retry-After${throttler.suffix}`, hits.timeToBlockExpire);
        await this.throwThrottlingException(context, { limit: throttler.limit, ttl: throttler.ttl, key, tracker, ...hits });
      }
      response.setHeader(`${this.headerPrefix}-Limit${throttler.suffix}`, throttler.limit);
      response.setHeader(`${this.headerPrefix}-Remaining${throttler.suffix}`, Math.max(0, throttler.limit - hits.totalHits));
      response.setHeader(`${this.headerPrefix}-Reset${throttler.suffix}`, hits.timeToExpire);
    }
    return true;
  }

  protected override async getTracker(request: Record<string, any>): Promise<string> {
    return this.trackerOf(request as Request);
  }

  /** One bucket per admin key across all routes (the default keys buckets by route, via a sha256 per request). */
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

  private trackerOf(request: Request): string {
    const adminKey = (request as Request & AuthenticatedRequest).adminKey;
    return adminKey ? `key:${adminKey.name}` : `ip:${request.ip}`;
  }

  /** The route's throttlers with their limits, as the library's guard would resolve them; 'dynamic' when any depends on the request. */
  private planFor(context: ExecutionContext): RoutePlan[] | 'dynamic' {
    const targets = [context.getHandler(), context.getClass()];
    const routeValue = <T>(metadataKey: string, name: string) => this.reflector.getAllAndOverride<T>(metadataKey + name, targets);
    if (this.commonOptions.skipIf || this.commonOptions.ignoreUserAgents || this.commonOptions.setHeaders === false) return 'dynamic';
    const plan: RoutePlan[] = [];
    for (const throttler of this.throttlers) {
      if (throttler.skipIf || throttler.ignoreUserAgents || throttler.getTracker || throttler.generateKey || throttler.setHeaders === false) return 'dynamic';
      if (routeValue(THROTTLER_TRACKER, throttler.name!) || routeValue(THROTTLER_KEY_GENERATOR, throttler.name!)) return 'dynamic';
      if (routeValue<boolean>(THROTTLER_SKIP, throttler.name!)) continue;
      const limit = routeValue(THROTTLER_LIMIT, throttler.name!) ?? throttler.limit;
      const ttl = routeValue(THROTTLER_TTL, throttler.name!) ?? throttler.ttl;
      const blockDuration = routeValue(THROTTLER_BLOCK_DURATION, throttler.name!) ?? throttler.blockDuration ?? ttl;
      if ([limit, ttl, blockDuration].some((value) => typeof value !== 'number')) return 'dynamic';
      const name = throttler.name!;
      plan.push({ name, suffix: name === 'default' ? '' : `-${name}`, limit: limit as number, ttl: ttl as number, blockDuration: blockDuration as number });
    }
    return plan;
  }
}
