import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { getStorageToken, ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';
import { ProblemException } from '../common/problem.exception';
import type { AdminKey } from './admin-keys';
import { AdminKeysService } from './admin-keys.service';

export const API_KEY_HEADER = 'x-api-key';
const IS_PUBLIC = 'auth:public';
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FAILED_AUTHENTICATION = 'failed-authentication';

/** Marks a route that answers without an admin key (health, docs). Everything else requires one. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export interface AuthenticatedRequest extends Request {
  adminKey?: AdminKey;
}

/**
 * Global guard, the first thing a request meets after routing (the body is read only after it):
 * every route needs a valid `x-api-key` unless marked @Public(). Read keys may only use GET.
 * Missing and wrong keys are counted per client address in the throttler's store (memory or
 * Redis); past AUTH_FAILURE_LIMIT per window the address gets 429 without a key lookup.
 * The key itself is never logged or echoed.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly failureLimit: number;
  private readonly failureWindowMs: number;

  constructor(
    private readonly reflector: Reflector,
    private readonly adminKeys: AdminKeysService,
    @Inject(getStorageToken()) private readonly attempts: ThrottlerStorage,
    config: ConfigService,
  ) {
    this.failureLimit = config.get<number>('AUTH_FAILURE_LIMIT') ?? 10;
    this.failureWindowMs = (config.get<number>('AUTH_FAILURE_WINDOW_SECONDS') ?? 60) * 1000;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const presented = request.headers[API_KEY_HEADER];
    const hasKey = typeof presented === 'string' && presented.length > 0;
    this.refuseIfBlocked(request);
    const key = hasKey ? await this.adminKeys.find(presented) : undefined;
    if (!key) {
      await this.countFailure(request);
      throw unauthorized(
        hasKey ? `The ${API_KEY_HEADER} header does not match any active admin API key.` : `Missing ${API_KEY_HEADER} header: send an admin API key.`,
      );
    }
    if (key.scope !== 'write' && !READ_METHODS.has(request.method)) {
      throw new ProblemException(HttpStatus.FORBIDDEN, `Admin key "${key.name}" has the ${key.scope} scope; ${request.method} needs a write key.`);
    }
    request.adminKey = key;
    return true;
  }

  private failureKey(request: Request): string {
    return `auth-failures:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`;
  }

  /**
   * Addresses this process has seen blocked, until when: they get 429 before any key lookup. The
   * count itself lives in the shared store, so every instance blocks after the limit.
   */
  private readonly blockedUntil = new Map<string, number>();

  private refuseIfBlocked(request: Request): void {
    // Nobody blocked (the usual case): skip working out the client address (Express's req.ip).
    if (this.blockedUntil.size === 0) return;
    const key = this.failureKey(request);
    const until = this.blockedUntil.get(key);
    if (until === undefined) return;
    if (until > Date.now()) throw this.tooManyFailures(Math.ceil((until - Date.now()) / 1000));
    this.blockedUntil.delete(key);
  }

  private async countFailure(request: Request): Promise<void> {
    const key = this.failureKey(request);
    const record = await this.attempts
      .increment(key, this.failureWindowMs, this.failureLimit, this.failureWindowMs, FAILED_AUTHENTICATION)
      .catch(() => undefined); // a store outage must not turn a 401 into a 500; requests are let through as the throttler does
    if (record?.isBlocked) {
      const seconds = Math.max(1, record.timeToBlockExpire);
      if (this.blockedUntil.size > 10_000) this.blockedUntil.clear();
      this.blockedUntil.set(key, Date.now() + seconds * 1000);
      throw this.tooManyFailures(seconds);
    }
  }

  private tooManyFailures(seconds: number): ProblemException {
    return new ProblemException(
      HttpStatus.TOO_MANY_REQUESTS,
      `Too many failed authentication attempts from this address: at most ${this.failureLimit} per ${this.failureWindowMs / 1000} s. Retry in ${seconds} s.`,
      [],
      undefined,
      { 'Retry-After': String(seconds), 'RateLimit-Limit': String(this.failureLimit), 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(seconds) },
    );
  }
}

function unauthorized(detail: string): ProblemException {
  return new ProblemException(HttpStatus.UNAUTHORIZED, detail, [{ field: API_KEY_HEADER, message: detail }], undefined, {
    'WWW-Authenticate': `ApiKey header="${API_KEY_HEADER}"`,
  });
}
