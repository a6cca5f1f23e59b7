import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { getStorageToken, ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';
import { ProblemException } from '../http/problem.exception';
import type { AdminKey } from './admin-keys';
import { AdminKeysService } from './admin-keys.service';
import { addressBucket, BlockedAddresses } from './failed-authentications';
import type { EnvironmentVariables } from '../config/environment';

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
 *
 * Missing and wrong keys are counted per client address (IPv4 address, IPv6 /64) in the
 * throttler's store (memory or Redis); past AUTH_FAILURE_LIMIT per window, that address's missing
 * and wrong keys get 429 without a database query. A valid key is always served: admin keys are
 * long random secrets, so one client's noise must not lock out everyone behind the same NAT or proxy.
 * The key itself is never logged or echoed.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly failureLimit: number;
  private readonly failureWindowMs: number;
  /** What this process has seen blocked: refused from memory. The count itself lives in the shared store. */
  private readonly blocked = new BlockedAddresses();

  constructor(
    private readonly reflector: Reflector,
    private readonly adminKeys: AdminKeysService,
    @Inject(getStorageToken()) private readonly attempts: ThrottlerStorage,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.failureLimit = config.get('AUTH_FAILURE_LIMIT', { infer: true });
    this.failureWindowMs = config.get('AUTH_FAILURE_WINDOW_SECONDS', { infer: true }) * 1000;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const presented = request.headers[API_KEY_HEADER];
    const hasKey = typeof presented === 'string' && presented.length > 0;
    // Nobody blocked (the usual case): skip working out the client address (Express's req.ip).
    const bucket = this.blocked.size > 0 ? this.bucketOf(request) : undefined;
    const blockedFor = bucket === undefined ? undefined : this.blocked.secondsLeft(bucket);
    if (blockedFor !== undefined && !(hasKey && (await this.adminKeys.couldBeValid(presented)))) throw this.tooManyFailures(blockedFor);
    const key = hasKey ? await this.adminKeys.find(presented) : undefined;
    if (!key) {
      if (blockedFor === undefined) await this.countFailure(bucket ?? this.bucketOf(request));
      throw unauthorized(
        hasKey ? `The ${API_KEY_HEADER} header does not match any active admin API key.` : `Missing ${API_KEY_HEADER} header: send an admin API key.`,
      );
    }
    const expiredAt = this.adminKeys.expiredAt(key);
    if (expiredAt) {
      // Only the key's holder can send it, so saying that it expired (and when) tells nobody else anything.
      throw unauthorized(`Admin key "${key.name}" expired at ${expiredAt.toISOString()}: ask for a new key (npm run keys -- create).`);
    }
    this.adminKeys.noteUse(key);
    if (key.scope !== 'write' && !READ_METHODS.has(request.method)) {
      throw new ProblemException(HttpStatus.FORBIDDEN, `Admin key "${key.name}" has the ${key.scope} scope; ${request.method} needs a write key.`);
    }
    request.adminKey = key;
    return true;
  }

  private bucketOf(request: Request): string {
    return addressBucket(request.ip ?? request.socket.remoteAddress);
  }

  private async countFailure(bucket: string): Promise<void> {
    const record = await this.attempts
      .increment(`auth-failures:${bucket}`, this.failureWindowMs, this.failureLimit, this.failureWindowMs, FAILED_AUTHENTICATION)
      .catch(() => undefined); // a store outage must not turn a 401 into a 500; requests are let through as the throttler does
    if (record?.isBlocked) {
      const seconds = Math.max(1, record.timeToBlockExpire);
      this.blocked.block(bucket, seconds);
      throw this.tooManyFailures(seconds);
    }
  }

  private tooManyFailures(seconds: number): ProblemException {
    return new ProblemException(
      HttpStatus.TOO_MANY_REQUESTS,
      `Too many failed authentication attempts from this address: at most ${this.failureLimit} per ${this.failureWindowMs / 1000} s. Retry in ${seconds} s; a valid key is still served.`,
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
