import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ProblemDetailsDto } from './problem-details.dto';
import { problemTypeUri, RESOURCE_BUSY, SERVICE_BUSY } from './problem-types';
import { FieldError, ProblemException, titleForStatus } from './problem.exception';
import { isDatabaseUnavailable, isLockTimeout, isPoolExhausted } from '../database/database-errors';
import { KnownRoutes } from './known-routes';
import type { IdentifiedRequest } from './request-context';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Answers every error, ours, Nest's and Express body-parser's, as one shape: RFC 9457 problem details. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(@Optional() private readonly routes?: KnownRoutes) {}

  catch(caught: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<Request>();
    const response = context.getResponse<Response>();
    const exception = this.methodNotAllowed(caught, request) ?? caught;
    const problem = { ...this.toProblem(exception, request), request_id: (request as IdentifiedRequest).id ?? null };
    const logContext = { requestId: problem.request_id, method: request.method, path: request.path, err: exception };
    if (problem.status === HttpStatus.SERVICE_UNAVAILABLE) {
      this.logger.warn(logContext, `Answered 503: ${exception instanceof Error ? exception.message : String(exception)}`);
    } else if (problem.status >= 500) {
      this.logger.error(logContext, exception instanceof Error ? exception.stack : String(exception));
    }
    if (response.headersSent) return;
    if (exception instanceof ProblemException) response.set(exception.headers);
    if (problem.status === HttpStatus.SERVICE_UNAVAILABLE && !response.getHeader('Retry-After')) response.set('Retry-After', '5');
    if (problem.status === HttpStatus.TOO_MANY_REQUESTS && !response.getHeader('Retry-After')) response.set('Retry-After', '1');
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  /** No route matched, but the path is the API's: 405 with `Allow`, not a 404 that reads as "no such customer". */
  private methodNotAllowed(exception: unknown, request: Request): ProblemException | undefined {
    if (!(exception instanceof NotFoundException) || !this.routes) return undefined;
    const allowed = this.routes.allowedMethods(request.path);
    if (!allowed || allowed.includes(request.method)) return undefined;
    const methods = allowed.join(', ');
    return new ProblemException(
      HttpStatus.METHOD_NOT_ALLOWED,
      `${request.method} is not a method of ${request.path}: it answers ${methods}.`,
      [{ field: 'method', message: `must be one of ${methods}` }],
      undefined,
      { Allow: methods },
    );
  }

  private toProblem(exception: unknown, request: Request): Omit<ProblemDetailsDto, 'request_id'> {
    const instance = request.originalUrl?.split('?')[0] ?? request.url;
    if (exception instanceof ProblemException) {
      return this.problem(exception.getStatus(), exception.title, exception.detail, instance, exception.errors);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
      return this.problem(status, titleForStatus(status), detail, instance);
    }
    if (isPoolExhausted(exception)) {
      return this.problem(
        HttpStatus.SERVICE_UNAVAILABLE,
        SERVICE_BUSY,
        'Every database connection of this instance is in use; the database itself is up. Retry shortly.',
        instance,
      );
    }
    if (isDatabaseUnavailable(exception)) {
      return this.problem(HttpStatus.SERVICE_UNAVAILABLE, titleForStatus(503), 'The database is unavailable; retry shortly.', instance);
    }
    if (isLockTimeout(exception)) {
      return this.problem(
        HttpStatus.TOO_MANY_REQUESTS,
        RESOURCE_BUSY,
        'What this request changes is locked by another request; nothing was written. Retry shortly.',
        instance,
      );
    }
    return this.problem(
      HttpStatus.INTERNAL_SERVER_ERROR,
      titleForStatus(500),
      'An unexpected error occurred. It has been logged; quote the x-request-id header when reporting it.',
      instance,
    );
  }

  private problem(status: number, title: string, detail: string, instance: string, errors: FieldError[] = []): Omit<ProblemDetailsDto, 'request_id'> {
    return { type: problemTypeUri(title), title, status, detail, instance, errors };
  }
}
