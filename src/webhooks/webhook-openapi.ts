import type { OpenAPIObject } from '@nestjs/swagger';
import { CustomerEventType } from '../events/customer-event.entity';
import { describeRetrySchedule } from '../config/retry-schedule';

const WHAT_HAPPENED: Record<CustomerEventType, string> = {
  [CustomerEventType.Created]: 'A customer was created: `changes` has every field it was created with (`from: null`).',
  [CustomerEventType.Updated]:
    'A customer changed (PUT, PATCH or a scheduled change): `changes` has the fields that changed, derived values included when the tier moved them.',
  [CustomerEventType.Archived]: 'A customer was archived (DELETE): `changes` has `archived_at`.',
  [CustomerEventType.Restored]: 'An archived customer was restored: `changes` has `archived_at` back to null.',
  [CustomerEventType.Erased]:
    "An archived customer's personal data was erased: `changes` has `erased_at` only, and `customer` is already erased. Erase your copy of its personal data too.",
};

const EXAMPLE_CHANGES: Record<CustomerEventType, Record<string, { from: unknown; to: unknown }>> = {
  [CustomerEventType.Created]: { company_name: { from: null, to: 'Acme Financial' }, tier: { from: null, to: 'growth' } },
  [CustomerEventType.Updated]: { tier: { from: 'growth', to: 'scale' } },
  [CustomerEventType.Archived]: { archived_at: { from: null, to: '2026-02-01T10:00:00Z' } },
  [CustomerEventType.Restored]: { archived_at: { from: '2026-02-01T10:00:00Z', to: null } },
  [CustomerEventType.Erased]: { erased_at: { from: null, to: '2026-02-02T10:00:00Z' } },
};

/** How the example customer looks after each kind of event. */
const CUSTOMER_AFTER: Record<CustomerEventType, Record<string, unknown>> = {
  [CustomerEventType.Created]: {},
  [CustomerEventType.Updated]: {},
  [CustomerEventType.Archived]: { archived_at: '2026-02-01T10:00:00Z' },
  [CustomerEventType.Restored]: {},
  [CustomerEventType.Erased]: {
    company_name: 'Erased customer',
    contact_email: 'erased+550e8400-e29b-41d4-a716-446655440000@erased.invalid',
    metadata: {},
    archived_at: '2026-02-01T10:00:00Z',
    erased_at: '2026-02-02T10:00:00Z',
  },
};

const VERIFY =
  'Verify before trusting the body: compute HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{raw body}` with the key that is the base64-decoding of the secret after its `whsec_` prefix, ' +
  'base64-encode it, and compare it in constant time with each `v1,`-prefixed signature in `webhook-signature`; refuse timestamps more than 5 minutes from your clock. ' +
  'Any Standard Webhooks library does this (`new Webhook(secret).verify(body, headers)`).';

/** `customer.archived` → `CustomerArchivedWebhook`: the schema name of one event type's body. */
export function webhookSchemaName(type: CustomerEventType): string {
  return `${type
    .split(/[._]/)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('')}Webhook`;
}

/**
 * What a receiver gets, in the document: one schema per event type (the WebhookEvent body with its
 * `type` fixed) and, on Create Webhook Endpoint, one OpenAPI callback per type with the Standard
 * Webhooks headers, how to verify them, and what each answer makes the service do. Code generators
 * and Swagger UI read these; the client package exports the types.
 */
export function describeWebhookDeliveries(document: OpenAPIObject): void {
  // The customer in the examples is Get Customer's example, as the customers feature documents it.
  const customerExample = (document.paths['/admin/customers/{customer_id}']?.get?.responses?.['200'] as { content?: Record<string, { example?: object }> })
    ?.content?.['application/json']?.example;
  if (!customerExample) throw new Error('describeWebhookDeliveries: the document has no example for GET /admin/customers/{customer_id}');
  const schemas = (document.components ??= {}).schemas ?? (document.components.schemas = {});
  const callbacks: Record<string, unknown> = {};
  for (const type of Object.values(CustomerEventType)) {
    const name = webhookSchemaName(type);
    schemas[name] = {
      description: `The body of a \`${type}\` delivery. ${WHAT_HAPPENED[type]}`,
      allOf: [{ $ref: '#/components/schemas/WebhookEvent' }, { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: [type] } } }],
    };
    callbacks[type] = {
      '{$request.body#/url}': {
        post: {
          operationId: `${name[0].toLowerCase()}${name.slice(1)}`,
          summary: `${type} delivery`,
          description: `${WHAT_HAPPENED[type]}\n\n${VERIFY}`,
          parameters: [
            {
              name: 'webhook-id',
              in: 'header',
              required: true,
              description: "The event id (the body's `id`): the same on every attempt, retry and replay of this event. Deduplicate by it.",
              schema: { type: 'string', format: 'uuid' },
            },
            {
              name: 'webhook-timestamp',
              in: 'header',
              required: true,
              description: 'When this attempt was signed, in Unix seconds',
              schema: { type: 'string', pattern: '^[0-9]+$', example: '1768921200' },
            },
            {
              name: 'webhook-signature',
              in: 'header',
              required: true,
              description: 'One `v1,<base64 HMAC-SHA256>` per signing secret, space-separated (two for 24 hours after a rotation, newest first)',
              schema: { type: 'string', example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: `#/components/schemas/${name}` },
                example: {
                  id: '1f0e5a7c-6c1b-4d7e-8a55-3b9c2f1d0e42',
                  type,
                  created_at: '2026-01-20T15:00:00Z',
                  data: { customer: { ...customerExample, ...CUSTOMER_AFTER[type] }, changes: EXAMPLE_CHANGES[type], actor: 'ops' },
                },
              },
            },
          },
          responses: {
            '2XX': { description: 'Received: the delivery succeeded (the response body is ignored).' },
            '410': { description: 'Gone: the service disables this endpoint and sends nothing more until it is re-enabled.' },
            default: {
              description: `Any other answer, a redirect, or none within WEBHOOK_TIMEOUT_MS: the delivery is retried after ${describeRetrySchedule()} (each ±20 %), then given up.`,
            },
          },
        },
      },
    };
  }
  const create = document.paths['/admin/webhook-endpoints']?.post;
  if (!create) throw new Error('describeWebhookDeliveries: the document has no POST /admin/webhook-endpoints');
  create.callbacks = callbacks as NonNullable<typeof create.callbacks>;
}
