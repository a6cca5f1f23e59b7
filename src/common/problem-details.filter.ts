import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ProblemDetailsDto } from './problem-details.dto';
import { FieldError, ProblemException, slugForTitle, titleForStatus } from './problem.exception';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Answers every error, ours, Nest's and Express body-parser's, as one shape: RFC 9457 problem details. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<Request>();
    const response = context.getResponse<Response>();
    const problem = this.toProblem(exception, request);
    if (problem.status >= 500) {
      this.logger.error(
        { requestId: request.headers['x-request-id'], method: request.method, path: request.path, err: exception },
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    if (response.headersSent) return;
    if (exception instanceof ProblemException) response.set(exception.headers);
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: Request): ProblemDetailsDto {
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
    return this.problem(
      HttpStatus.INTERNAL_SERVER_ERROR,
      titleForStatus(500),
      'An unexpected error occurred. It has been logged; quote the x-request-id header when reporting it.',
      instance,
    );
  }

  private problem(status: number, title: string, detail: string, instance: string, errors: FieldError[] = []): ProblemDetailsDto {
    return { type: `/problems/${slugForTitle(title)}`, title, status, detail, instance, errors };
  }
}
