import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetailsDto } from './problem-details.dto';
import { problemTypeUri, VALIDATION_FAILED } from './problem-types';
import { BODY_LIMIT_BYTES, bodyTooLargeDetail } from './body-limit';
import { ProblemException, titleForStatus } from './problem.exception';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: malformed JSON, an unknown field, or a field that breaks a rule. `errors` lists every bad field.',
  401: 'The x-api-key header is missing or does not match an admin key.',
  403: 'The admin key is valid but its scope does not allow this operation.',
  404: 'Nothing has the id in the path (`errors` names the parameter).',
  409: 'The resource is in a state that does not allow this operation; `title` says which (a problem type page explains it) and `detail` what to do.',
  412: 'If-Match does not match the current ETag: the customer changed since it was read. Nothing was written.',
  413: `The request body is larger than ${BODY_LIMIT_BYTES / 1024} KB.`,
  415: 'The request body is not application/json (PUT also accepts application/merge-patch+json), or its Content-Encoding is not identity, gzip, deflate or br.',
  422: 'The Idempotency-Key was already used with a different request body.',
  431: 'The request headers (or the URL) are larger than 16 KB; answered before routing, by the HTTP server itself.',
  429: 'Too many requests for this admin key, too many failed authentications from this address, or (on writes) this customer is busy with other changes; nothing was written. Retry after the Retry-After header.',
  500: 'An unexpected error (a fault of this service or its database, not of the request); logged with the request id, no internals are returned, nothing was written. Safe to retry a PUT; retry a POST with its Idempotency-Key.',
  503: 'The database is unreachable, or every database connection of this instance is busy; retry after the Retry-After header.',
};

const EXAMPLE_ERRORS: Record<number, { detail: string; errors: { field: string; message: string }[] }> = {
  400: {
    detail: 'The request has 1 invalid field: descripton.',
    errors: [{ field: 'descripton', message: 'descripton is not a field of this request; check its spelling' }],
  },
  401: {
    detail: 'Missing x-api-key header: send an admin API key.',
    errors: [{ field: 'x-api-key', message: 'Missing x-api-key header: send an admin API key.' }],
  },
  403: { detail: 'Admin key "dashboard" has the read scope; PUT needs a write key.', errors: [] },
  404: { detail: 'No customer has customer_id 550e8400-e29b-41d4-a716-446655440000.', errors: [{ field: 'customer_id', message: 'no customer with this id' }] },
  412: {
    detail: 'The customer changed since it was read: its ETag is now "v4". Fetch it again and reapply the change.',
    errors: [{ field: 'If-Match', message: 'does not match the current ETag "v4"' }],
  },
  413: { detail: bodyTooLargeDetail(), errors: [{ field: 'body', message: bodyTooLargeDetail() }] },
  415: { detail: 'The request body must be application/json (Content-Type was text/plain).', errors: [] },
  422: {
    detail: 'This Idempotency-Key was already used with a different request body; use a new key for a different request.',
    errors: [{ field: 'Idempotency-Key', message: 'already used with a different request body' }],
  },
  429: { detail: 'Too many requests: this admin key may make 600 requests per 60 s. Retry in 12 s.', errors: [] },
  431: { detail: 'The request headers are larger than this server accepts (16 KB in all).', errors: [] },
  500: { detail: 'An unexpected error occurred; it was logged with this request id. Nothing was written.', errors: [] },
  503: { detail: 'The database is unavailable; retry shortly.', errors: [] },
};

export interface ProblemExample {
  detail: string;
  errors: { field: string; message: string }[];
}

/** The example of a problem the code really raises: its own factory, called with example values, so the document cannot drift from it. */
export function exampleOf({ detail, errors }: ProblemException): ProblemExample {
  return { detail, errors };
}

/** A 400 example for an operation whose input is a query or a path, not a body. */
export function fieldProblem(field: string, message: string): ProblemExample {
  return { detail: `The request has 1 invalid field: ${field}.`, errors: [{ field, message }] };
}

function problemExample(status: number, example?: ProblemExample) {
  const title = status === 400 ? VALIDATION_FAILED : titleForStatus(status);
  const { detail, errors } = example ?? EXAMPLE_ERRORS[status] ?? { detail: title, errors: [] };
  return {
    type: problemTypeUri(title),
    title,
    status,
    detail,
    instance: '/admin/customers/550e8400-e29b-41d4-a716-446655440000',
    errors,
    request_id: '8c0f0a53-3c43-4a53-9a43-0e3f4b1c2d5e',
  };
}

/**
 * Documents error responses as RFC 9457 problem details (`application/problem+json`). A status may be
 * given as `[status, example]` where the shared example would not fit the operation.
 */
export function ApiProblemResponses(...statuses: (number | [number, ProblemExample])[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...statuses.map((entry) => {
      const [status, example] = Array.isArray(entry) ? entry : [entry, undefined];
      return ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? titleForStatus(status),
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) }, example: problemExample(status, example) } },
      });
    }),
  );
}
