import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { CustomerEventType } from '../../events/customer-event.entity';

/** Referenced by name: the customers feature defines the Customer schema, and webhooks do not import it. */
const CUSTOMER_SCHEMA = '#/components/schemas/Customer';

@ApiSchema({ name: 'WebhookEventData' })
export class WebhookEventDataDto {
  @ApiProperty({
    description: 'The customer as the API returned it right after the change (for `customer.erased`: already erased, no personal data)',
    allOf: [{ $ref: CUSTOMER_SCHEMA }],
  })
  customer: object;

  @ApiProperty({
    description:
      'Each changed field as `{ from, to }`: on `customer.created` every field set (from null); on `customer.updated` the fields that changed, ' +
      'derived values (annual_commitment, rate_limit, …) included when the tier moved them; `archived_at` on archive and restore; `erased_at` on erasure',
    type: Object,
    additionalProperties: { type: 'object', properties: { from: {}, to: {} }, required: ['from', 'to'] },
    example: { tier: { from: 'growth', to: 'scale' } },
  })
  changes: Record<string, { from: unknown; to: unknown }>;

  @ApiProperty({
    description: "Who made the change: the admin key's name, `scheduled-change:{id}` for a scheduled change, `system:retention` for an automatic erasure",
    example: 'ops',
  })
  actor: string;
}

/** The JSON body POSTed to a webhook endpoint (see webhookPayload). */
@ApiSchema({ name: 'WebhookEvent' })
export class WebhookEventDto {
  @ApiProperty({ description: 'The event id: also the `webhook-id` header, the same on every attempt and replay (deduplicate by it)', format: 'uuid' })
  id: string;

  @ApiProperty({ enum: CustomerEventType, enumName: 'CustomerEventType', example: CustomerEventType.Updated })
  type: CustomerEventType;

  @ApiProperty({ description: 'When the change was committed', format: 'date-time', example: '2026-01-20T15:00:00Z' })
  created_at: string;

  @ApiProperty({ type: WebhookEventDataDto })
  data: WebhookEventDataDto;
}
