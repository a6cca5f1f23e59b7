import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetailsDto } from './problem-details.dto';
import { titleForStatus } from './problem.exception';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: malformed JSON, an unknown field, or a field that breaks a rule. `errors` lists every bad field.',
  401: 'The x-api-key header is missing or does not match an admin key.',
  403: 'The admin key is valid but its scope does not allow this operation.',
  404: 'No customer has this customer_id.',
  412: 'If-Match does not match the current ETag: the customer changed since it was read. Nothing was written.',
  413: 'The request body is larger than 64 KB.',
  415: 'The request body is not application/json.',
  422: 'The Idempotency-Key was already used with a different request body.',
  429: 'Too many requests for this admin key; retry after the Retry-After header.',
  500: 'An unexpected error; logged with the request id, no internals are returned.',
  503: 'The database is unreachable; retry after the Retry-After header.',
};

/** Documents error responses as RFC 9457 problem details (`application/problem+json`). */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? titleForStatus(status),
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
      }),
    ),
  );
}
