import type { NextFunction, Request, Response } from 'express';
import type { Logger as Pino } from 'pino';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { assignRequestId, IdentifiedRequest } from '../http/request-context';
import { redactUrl } from './redact-url';

/**
 * Gives the request its id (x-request-id) and writes one JSON line per request when it finishes:
 * method, URL (credential-like query values redacted), status, duration, request id, the admin
 * key's name and the route pattern. Written by one logger with no per-request child logger or async
 * context (cheaper than pino-http and nestjs-pino's AsyncLocalStorage; BENCHMARKS.md), in one
 * middleware (each Express layer costs router work on every request). Request headers are never logged.
 */
export function requestLogger(logger: Pino) {
  return (request: Request & AuthenticatedRequest & IdentifiedRequest, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    assignRequestId(request, response);
    response.on('finish', () => {
      const status = response.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const url = redactUrl(request.originalUrl ?? request.url);
      const responseTime = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      const actor = request.adminKey?.name;
      logger[level](
        {
          req: { id: request.id, method: request.method, url, remoteAddress: request.ip },
          res: { statusCode: status },
          responseTime,
          requestId: request.id,
          actor,
          route: (request.route as { path?: string } | undefined)?.path,
        },
        `${request.method} ${url} ${status} ${responseTime} ms${actor ? ` (${actor})` : ''}`,
      );
    });
    next();
  };
}
