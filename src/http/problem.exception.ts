import { HttpException, HttpStatus } from '@nestjs/common';
import { VALIDATION_FAILED } from './problem-types';

export const MAX_LISTED_ERRORS = 20;

export interface FieldError {
  field: string;
  message: string;
}

export const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleForStatus(status: number): string {
  return STATUS_TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** An error answered as RFC 9457 problem details; `errors` names the request fields at fault. */
export class ProblemException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly title: string = titleForStatus(status),
    readonly headers: Record<string, string> = {},
  ) {
    super(detail, status);
  }

  /** 400 naming every bad field; past MAX_LISTED_ERRORS, the first ones and a count of the rest, so a flood of bad fields cannot inflate the answer. */
  static validation(errors: FieldError[]): ProblemException {
    const count = errors.length;
    const listed = errors.slice(0, MAX_LISTED_ERRORS);
    const more = count - listed.length;
    const names = `${listed.map((e) => e.field).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
    if (more > 0) listed.push({ field: '…', message: `${more} more invalid fields are not listed` });
    return new ProblemException(
      HttpStatus.BAD_REQUEST,
      `The request has ${count} invalid field${count === 1 ? '' : 's'}: ${names}.`,
      listed,
      VALIDATION_FAILED,
    );
  }

  static field(field: string, message: string): ProblemException {
    return ProblemException.validation([{ field, message }]);
  }
}
