/**
 * Every problem type the API answers with: its `title` (from which the `type` URI's slug is made),
 * status, and the page served at `/problems/{slug}` saying what it means, when it happens and how to
 * fix it. A title the code uses must be listed here (a test walks them all).
 */
export interface ProblemType {
  title: string;
  status: number;
  meaning: string;
  when: string;
  fix: string;
}

export const VALIDATION_FAILED = 'Validation failed';
export const CUSTOMER_BUSY = 'Customer busy';
export const RESOURCE_BUSY = 'Resource busy';
export const SERVICE_BUSY = 'Service busy';
export const WEBHOOK_ENDPOINT_DISABLED = 'Webhook endpoint disabled';
export const CUSTOMER_ARCHIVED = 'Customer archived';
export const CUSTOMER_NOT_ARCHIVED = 'Customer not archived';
export const CUSTOMER_ERASED = 'Customer erased';
export const EXTERNAL_ID_TAKEN = 'External id taken';
export const SCHEDULED_CHANGE_NOT_PENDING = 'Scheduled change not pending';

export const PROBLEM_TYPES: readonly ProblemType[] = [
  {
    title: VALIDATION_FAILED,
    status: 400,
    meaning: 'One or more fields of the request break a rule. `errors` names each one with its rule.',
    when: 'An unknown field, a wrong type, a value out of range, a date that does not exist, negotiated values on a standard tier, a bad cursor or query parameter.',
    fix: 'Correct the fields listed in `errors` and send the request again; nothing was written.',
  },
  {
    title: 'Bad Request',
    status: 400,
    meaning:
      'The request could not be read: its body is not valid JSON or UTF-8, its Content-Encoding does not match its bytes, or the HTTP request itself is malformed.',
    when: 'A truncated or corrupt body, bytes that are not UTF-8, Content-Length together with Transfer-Encoding.',
    fix: 'Send a well-formed HTTP/1.1 request with a UTF-8 JSON body.',
  },
  {
    title: 'Unauthorized',
    status: 401,
    meaning: 'The request has no admin key, or one that matches no active key.',
    when: 'A missing, mistyped, revoked or rotated `x-api-key` header.',
    fix: 'Send a valid key in the `x-api-key` header. Locally, `npm start` prints a development key (`npm run keys -- dev-key` shows it again).',
  },
  {
    title: 'Forbidden',
    status: 403,
    meaning: 'The key is valid but its scope does not allow this operation.',
    when: 'A read key on PUT, POST or DELETE.',
    fix: 'Use a key with the write scope.',
  },
  {
    title: 'Not Found',
    status: 404,
    meaning: 'Nothing exists at this path or with this id.',
    when: 'An unknown customer_id, webhook_endpoint_id or delivery_id, or a path the API does not have.',
    fix: 'Check the id (list customers to find it) and the path.',
  },
  {
    title: 'Method Not Allowed',
    status: 405,
    meaning: 'The path exists, but not with this HTTP method.',
    when: 'POST on a customer, PUT on the customer list, PATCH on an event list: any method the path does not answer.',
    fix: 'Use one of the methods in the `Allow` header (and named in `detail`).',
  },
  {
    title: 'Request Timeout',
    status: 408,
    meaning: 'The request did not arrive in time.',
    when: 'A client that opens a connection and sends its request too slowly.',
    fix: 'Send the whole request promptly.',
  },
  {
    title: 'Precondition Failed',
    status: 412,
    meaning: 'If-Match names a version the customer no longer has: someone changed it since you read it. Nothing was written.',
    when: 'A PUT with an If-Match ETag that is not the current one.',
    fix: 'GET the customer again, reapply your change to what it is now, and send it with the new ETag.',
  },
  {
    title: 'Payload Too Large',
    status: 413,
    meaning: 'The request body is larger than the limit (after any Content-Encoding is decoded).',
    when: 'Very large metadata, or a compressed body that inflates past the limit.',
    fix: 'Send less: metadata is limited in keys and value lengths anyway.',
  },
  {
    title: 'Unsupported Media Type',
    status: 415,
    meaning: 'The body is not of a type this operation reads, or its Content-Encoding is unknown.',
    when: 'A Content-Type other than application/json (PUT also takes application/merge-patch+json), or an encoding other than gzip, deflate, br or identity.',
    fix: 'Send JSON with `Content-Type: application/json`.',
  },
  {
    title: WEBHOOK_ENDPOINT_DISABLED,
    status: 409,
    meaning: 'The webhook endpoint is disabled, so a delivery to it cannot be retried.',
    when: 'A retry of a delivery to an endpoint that an admin disabled, or that the service disabled after 410 Gone or a day of failures.',
    fix: 'Fix the receiver, then PUT the endpoint with `"enabled": true`: its pending deliveries are sent at once, and failed ones can be retried.',
  },
  {
    title: CUSTOMER_ARCHIVED,
    status: 409,
    meaning: 'The customer is archived, so it is read-only.',
    when: 'A PUT or PATCH of a customer archived with DELETE.',
    fix: 'Restore it first (`POST /admin/customers/{customer_id}/restore`), then send the change again.',
  },
  {
    title: CUSTOMER_NOT_ARCHIVED,
    status: 409,
    meaning: 'Only an archived customer can be erased.',
    when: 'An erase of a customer that is not archived.',
    fix: 'Archive it first (`DELETE /admin/customers/{customer_id}`), then erase it: erasure is irreversible, archiving is the step that can be undone.',
  },
  {
    title: CUSTOMER_ERASED,
    status: 409,
    meaning: "The customer's personal data was erased: it can be read, never restored or changed.",
    when: 'A restore, PUT or PATCH of an erased customer.',
    fix: 'Create a new customer if the company comes back.',
  },
  {
    title: EXTERNAL_ID_TAKEN,
    status: 409,
    meaning: 'Another customer already has this external_id.',
    when: 'A create or update with an external_id that a customer (not erased) holds; `detail` names that customer.',
    fix: 'Use that customer (`GET /admin/customers?external_id=…`), or clear its external_id first.',
  },
  {
    title: SCHEDULED_CHANGE_NOT_PENDING,
    status: 409,
    meaning: 'The scheduled change already took its course: it was applied, or it failed; only a pending change can be canceled.',
    when: 'A DELETE of a scheduled change whose status is applied or failed (`detail` says which, and when or why).',
    fix: 'To undo an applied change, send a PUT (or schedule another change) with the values you want; a failed change changed nothing.',
  },
  {
    title: 'Unprocessable Content',
    status: 422,
    meaning: 'This Idempotency-Key was already used with a different request body.',
    when: 'A retried create whose body changed, or one key reused for two different creates.',
    fix: 'Use a new Idempotency-Key for a different request.',
  },
  {
    title: 'Too Many Requests',
    status: 429,
    meaning: 'This admin key has made more requests than its limit allows in the window, or this address has failed authentication too often.',
    when: 'Past THROTTLE_LIMIT requests per key, or AUTH_FAILURE_LIMIT failed attempts per address.',
    fix: 'Wait for the seconds in `Retry-After` (the `RateLimit-*` headers say how much is left) and retry.',
  },
  {
    title: CUSTOMER_BUSY,
    status: 429,
    meaning: 'Too many changes to this one customer are in progress, or another writer holds it longer than the lock timeout. Nothing was written.',
    when: 'A burst of concurrent writes to one customer past CUSTOMER_WRITE_QUEUE_LIMIT, or a long transaction holding its row.',
    fix: 'Retry after `Retry-After`; changes to other customers are not affected.',
  },
  {
    title: RESOURCE_BUSY,
    status: 429,
    meaning: 'What this request changes is locked by another request for longer than the lock timeout. Nothing was written.',
    when: 'Two requests with one Idempotency-Key at once while the first is slow, or a long-running transaction.',
    fix: 'Retry after `Retry-After`.',
  },
  {
    title: 'Request Header Fields Too Large',
    status: 431,
    meaning: 'The request headers are larger than the server accepts.',
    when: 'Headers over 16 KB in all, such as huge cookies.',
    fix: 'Send smaller headers.',
  },
  {
    title: 'Client Error',
    status: 400,
    meaning: 'The request was refused for a reason without a more specific type (its status code says which).',
    when: 'Rare: an HTTP-level refusal the API has no dedicated page for.',
    fix: 'Read `detail`; correct the request and retry.',
  },
  {
    title: 'Internal Server Error',
    status: 500,
    meaning: 'Something failed that should not have. It was logged with the request id.',
    when: 'A bug.',
    fix: 'Report it with the `x-request-id` of the response.',
  },
  {
    title: 'Service Unavailable',
    status: 503,
    meaning: 'The database is unreachable, or the instance is not ready.',
    when: 'The database is down or restarting, or a connection died under the request.',
    fix: 'Retry after `Retry-After`; the service recovers by itself when the database is back.',
  },
  {
    title: SERVICE_BUSY,
    status: 503,
    meaning: 'Every database connection of this instance is in use (the database itself is up).',
    when: 'A burst of slow requests filling the connection pool.',
    fix: 'Retry after `Retry-After`.',
  },
  {
    title: 'Server Error',
    status: 500,
    meaning: 'The server failed for a reason without a more specific type (its status code says which).',
    when: 'Rare.',
    fix: 'Retry later; report it with the `x-request-id` if it persists.',
  },
];

export function problemSlug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function problemTypeUri(title: string): string {
  return `/problems/${problemSlug(title)}`;
}
