import { CanActivate, ExecutionContext, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ProblemException } from '../common/problem.exception';
import type { AdminKey } from './admin-keys';
import { AdminKeysService } from './admin-keys.service';

export const API_KEY_HEADER = 'x-api-key';
const IS_PUBLIC = 'auth:public';
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Marks a route that answers without an admin key (health, docs). Everything else requires one. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export interface AuthenticatedRequest extends Request {
  adminKey?: AdminKey;
}

/**
 * Global guard: every route needs a valid `x-api-key` unless marked @Public(). Read keys may
 * only use GET. The key itself is never logged or echoed.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly adminKeys: AdminKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const presented = request.headers[API_KEY_HEADER];
    if (typeof presented !== 'string' || presented.length === 0) {
      throw unauthorized(`Missing ${API_KEY_HEADER} header: send an admin API key.`);
    }
    const key = await this.adminKeys.find(presented);
    if (!key) throw unauthorized(`The ${API_KEY_HEADER} header does not match any active admin API key.`);
    if (key.scope !== 'write' && !READ_METHODS.has(request.method)) {
      throw new ProblemException(HttpStatus.FORBIDDEN, `Admin key "${key.name}" has the ${key.scope} scope; ${request.method} needs a write key.`);
    }
    request.adminKey = key;
    return true;
  }
}

function unauthorized(detail: string): ProblemException {
  return new ProblemException(HttpStatus.UNAUTHORIZED, detail, [{ field: API_KEY_HEADER, message: detail }], undefined, {
    'WWW-Authenticate': `ApiKey header="${API_KEY_HEADER}"`,
  });
}
